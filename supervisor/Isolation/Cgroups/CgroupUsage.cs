namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>What a worker's cgroup reports; zero where the driver cannot tell.</summary>
public sealed record CgroupUsage(long MemoryCurrent, long MemoryPeak, long MemoryMax, long PidsCurrent, long PidsMax, long OomKills)
{
    public static CgroupUsage None { get; } = new(0, 0, 0, 0, 0, 0);
}
