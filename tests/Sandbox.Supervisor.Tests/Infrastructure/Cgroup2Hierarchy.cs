namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// Where this machine mounts cgroup v2: <c>/sys/fs/cgroup/unified</c> on the hybrid build hosts
/// (no controllers there, but cgroup BPF programs attach to its directories), <c>/sys/fs/cgroup</c>
/// on pure v2 hosts and in scripts/cgroup2-vm.
/// </summary>
public static class Cgroup2Hierarchy
{
    /// <summary>The mount point, or null when no cgroup2 hierarchy is mounted.</summary>
    public static readonly string? Root = FindRoot();

    /// <summary>Why tests that attach device filters cannot run here, or null when they can.</summary>
    public static string? Unavailable =>
        !Environment.IsPrivilegedProcess ? "needs root (mkdir in the cgroup2 hierarchy, bpf() with CAP_BPF)"
        : Root is null ? "no cgroup2 hierarchy is mounted here; run these tests in scripts/cgroup2-vm"
        : null;

    /// <summary>The first <c>cgroup2</c> mount in /proc/self/mountinfo ("ID PARENT MAJ:MIN ROOT MOUNTPOINT … - TYPE SOURCE OPTIONS").</summary>
    private static string? FindRoot() =>
        File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(fields => fields.SkipWhile(f => f != "-").Skip(1).FirstOrDefault() == "cgroup2")
            .Select(fields => fields[4])
            .FirstOrDefault();
}
