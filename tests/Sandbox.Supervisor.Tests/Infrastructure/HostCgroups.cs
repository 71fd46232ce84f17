using Sandbox.Supervisor.Isolation.Cgroups;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// The cgroup driver this host gives the supervisor, found by the supervisor's own availability
/// checks (v1 on the hybrid build machines, v2 in scripts/cgroup2-vm), and where its cgroups are,
/// so that one test checks whichever driver is in use.
/// </summary>
public static class HostCgroups
{
    public static string Driver { get; } =
        CgroupV2Driver.IsAvailable(CgroupProbe.Root) ? "v2" : CgroupV1Driver.IsAvailable(CgroupProbe.Root) ? "v1" : "none";

    /// <summary>The directory of a cgroup as ListWorkers names it; on v1, in <paramref name="controller"/>'s hierarchy (all share the path).</summary>
    public static string Directory(string cgroup, string controller = "memory") =>
        Driver == "v1" ? $"{CgroupProbe.Root}/{controller}{cgroup}" : CgroupProbe.Root + cgroup;

    /// <summary>Where the supervisor with this state directory keeps its workers' cgroups.</summary>
    public static string InstanceDirectory(string stateDirectory) => Directory($"/sandbox/{CgroupProbe.Instance(stateDirectory)}");
}
