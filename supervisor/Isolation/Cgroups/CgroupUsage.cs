namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>What a worker's cgroup reports; zero where the driver cannot tell.</summary>
/// <param name="MemoryPressure">PSI of the worker's memory (cgroup v2 only), or null.</param>
public sealed record CgroupUsage(long MemoryCurrent, long MemoryPeak, long MemoryMax, long PidsCurrent, long PidsMax, long OomKills, PressureStall? MemoryPressure = null)
{
    public static CgroupUsage None { get; } = new(0, 0, 0, 0, 0, 0);
}
