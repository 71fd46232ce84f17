using Sandbox.Api.V1;
using Sandbox.Supervisor.Supervision;

namespace Sandbox.Supervisor.Sessions;

/// <summary>
/// How one worker's run of a session ended: completed (all null), failed with a reason, the worker
/// died, or the session was postponed before it started (admission control: not enough memory yet).
/// </summary>
internal sealed record Attempt(Failure? Failure, WorkerDeath? Death, string? Postponed = null)
{
    public static Attempt Completed { get; } = new(null, null);

    public static Attempt Failed(Failure failure) => new(failure, null);

    public static Attempt Postpone(string reason) => new(null, null, reason);
}
