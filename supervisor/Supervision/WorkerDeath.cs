using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Supervision;

/// <summary>A classified worker death and the failure the session ends with if it is not restarted.</summary>
/// <param name="Excuse">
/// Why this death says nothing about the input, when it does not: the worker hung while the host was
/// short of CPU, or the chaos API injected what killed it. An excused death never counts toward quarantine.
/// </param>
public sealed record WorkerDeath(DeathClass Class, Failure Failure, string? Excuse = null)
{
    /// <summary>
    /// Whether a fresh worker may continue the session. A typed failure is the input's answer and
    /// a seccomp kill is a security event: neither gets a second worker. Crashes, OOM kills, hangs
    /// and lost connections may be transient, and a fresh worker resumes from the last checkpoint.
    /// </summary>
    public bool Restartable => Class is DeathClass.NativeCrash or DeathClass.Abort or DeathClass.OomKill or DeathClass.Hang or DeathClass.LostConnection;

    /// <summary>The wire name of the class, as in WorkerRestarted events: <c>native_crash</c>, <c>oom_kill</c>…</summary>
    public string Name => NameOf(Class);

    public static string NameOf(DeathClass deathClass) => deathClass switch
    {
        DeathClass.NativeCrash => "native_crash",
        DeathClass.OomKill => "oom_kill",
        DeathClass.LostConnection => "lost_connection",
        _ => deathClass.ToString().ToLowerInvariant(),
    };
}
