using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>For hosts where no cgroup hierarchy is writable: workers run without limits (a warning says so at start).</summary>
public sealed class NoCgroupDriver : ICgroupDriver
{
    public string Name => "none";

    public IWorkerCgroup Create(string workerId, SandboxProfile profile) => Unlimited.Instance;

    public void LimitAll(long bytes)
    {
        // No cgroup to cap: the budget is kept by admission control and the governor alone.
    }

    public void RemoveStale()
    {
    }

    private sealed class Unlimited : IWorkerCgroup
    {
        public static Unlimited Instance { get; } = new();

        public IReadOnlyList<string> ProcsFiles => [];

        public string Path => "";

        public CgroupUsage ReadUsage() => CgroupUsage.None;

        public CpuReading ReadCpu() => CpuReading.None;

        public Memory.MemorySample ReadMemory(DateTimeOffset now) => Memory.MemorySample.Empty(now);

        public IReadOnlyList<Memory.Interop.KernelNotification> WatchMemory(long thresholdBytes) => [];

        public void SetMemoryLimits(long high, long max)
        {
            // No cgroup, no limits to set.
        }

        public void Destroy()
        {
        }
    }
}
