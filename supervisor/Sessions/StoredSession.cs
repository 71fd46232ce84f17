using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;

namespace Sandbox.Supervisor.Sessions;

/// <summary>One session as the store holds it.</summary>
internal sealed record StoredSession(
    Session Snapshot,
    TranscodeRequest Request,
    Adjustment? Adjustment,
    IReadOnlyList<string> Deaths,
    IReadOnlyList<SessionEvent> Events);
