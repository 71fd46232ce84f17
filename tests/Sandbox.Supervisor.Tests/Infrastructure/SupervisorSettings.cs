namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// How a test wants its supervisor started: extra command-line options and environment (<c>Sandbox__Name</c> settings);
/// <paramref name="EnableFaultInjection"/> lets its workers misbehave on request (<c>--enable-fault-injection</c>);
/// <paramref name="LaunchPrefix"/> runs it through another command (e.g. to join a cgroup and drop root), and
/// <paramref name="Owner"/> (uid, gid) is then given its directory so that it can write there.
/// <paramref name="WarmWorkers"/> is the warm pool's size: 0 unless a test asks, so that tests which
/// count a session's worker processes (or wait for them to be gone) see only sessions' workers; the
/// pool's own tests and the chaos suite run with it.
/// <paramref name="Executable"/> runs that <c>sandbox</c> executable (a published Native AOT build)
/// instead of the <c>dotnet sandbox.dll</c> built next to the tests.
/// </summary>
public sealed record SupervisorSettings(
    int? MaxConcurrent = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    bool EnableFaultInjection = false,
    IReadOnlyList<string>? LaunchPrefix = null,
    (int Uid, int Gid)? Owner = null,
    int WarmWorkers = 0,
    string? Executable = null)
{
    public static SupervisorSettings Default { get; } = new();
}
