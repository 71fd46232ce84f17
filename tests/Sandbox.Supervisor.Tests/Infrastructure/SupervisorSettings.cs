namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// How a test wants its supervisor started: extra command-line options and environment (<c>Sandbox__Name</c> settings);
/// <paramref name="EnableFaultInjection"/> lets its workers misbehave on request (<c>--enable-fault-injection</c>);
/// <paramref name="LaunchPrefix"/> runs it through another command (e.g. to join a cgroup and drop root), and
/// <paramref name="Owner"/> (uid, gid) is then given its directory so that it can write there.
/// </summary>
public sealed record SupervisorSettings(
    int? MaxConcurrent = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    bool EnableFaultInjection = false,
    IReadOnlyList<string>? LaunchPrefix = null,
    (int Uid, int Gid)? Owner = null)
{
    public static SupervisorSettings Default { get; } = new();
}
