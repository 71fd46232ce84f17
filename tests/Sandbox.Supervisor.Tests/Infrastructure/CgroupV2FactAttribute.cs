namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>A test of the cgroup v2 driver itself: skipped, saying why, on a host without a pure v2 hierarchy (it runs in scripts/cgroup2-vm).</summary>
public sealed class CgroupV2FactAttribute : FactAttribute
{
    public CgroupV2FactAttribute()
    {
        if (HostCgroups.Driver != "v2")
        {
            Skip = $"needs a pure cgroup v2 host with memory, pids and cpu (this one offers '{HostCgroups.Driver}'); scripts/test runs it again inside scripts/cgroup2-vm";
        }
    }
}
