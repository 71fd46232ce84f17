using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Tests.ChaosSuite;

/// <summary>What happened to one session of a chaos run.</summary>
public sealed record ChaosOutcome(
    PlannedSession Plan,
    string SessionId,
    string Output,
    bool Delivered,
    SessionState State,
    ErrorReason Reason,
    IReadOnlyList<string> Deaths,
    int TerminalEvents,
    string Trace);
