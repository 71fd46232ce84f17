using Sandbox.Api.V1;
using Sandbox.Supervisor.Supervision;

namespace Sandbox.Supervisor.Sessions;

/// <summary>How one worker's run of a session ended: completed (both null), failed with a reason, or the worker died.</summary>
internal sealed record Attempt(Failure? Failure, WorkerDeath? Death)
{
    public static Attempt Completed { get; } = new(null, null);

    public static Attempt Failed(Failure failure) => new(failure, null);
}
