namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>A test that needs the supervisor to make cgroups: skipped, saying why, on a host where it can make none.</summary>
public sealed class CgroupFactAttribute : FactAttribute
{
    public CgroupFactAttribute()
    {
        if (HostCgroups.Driver == "none")
        {
            Skip = "no writable cgroup hierarchy here (v2 with memory, pids and cpu, or v1 memory, pids, cpu and devices under /sys/fs/cgroup): run as root on a host with cgroups";
        }
    }
}
