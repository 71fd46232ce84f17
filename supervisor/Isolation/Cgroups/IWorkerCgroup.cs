using Sandbox.Supervisor.Memory;

namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>One worker's cgroup: the files its process joins, its live usage, and its removal.</summary>
public interface IWorkerCgroup
{
    /// <summary>The <c>cgroup.procs</c> files the worker writes its pid to before it executes (empty: no cgroup).</summary>
    IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>The cgroup path as <c>/proc/PID/cgroup</c> shows it (v1: for the memory controller), or empty.</summary>
    string Path { get; }

    CgroupUsage ReadUsage();

    /// <summary>The CPU time the worker consumed and how starved of CPU it was, as running totals (<see cref="CpuReading.None"/> without a cgroup).</summary>
    CpuReading ReadCpu();

    /// <summary>The memory counters the governor samples (all zero without a cgroup, or once it is gone).</summary>
    MemorySample ReadMemory(DateTimeOffset now);

    /// <summary>Sets the memory limits (bytes) for what this worker's session is expected to need; v1 takes high as its soft limit.</summary>
    void SetMemoryLimits(long high, long max);

    /// <summary>
    /// What the kernel can tell about this cgroup's memory as it happens, instead of waiting for the
    /// next sample: on v2 a PSI trigger and changes of memory.events (high, max, oom), on v1 a usage
    /// threshold at <paramref name="thresholdBytes"/>. Empty without a cgroup.
    /// </summary>
    IReadOnlyList<Memory.Interop.KernelNotification> WatchMemory(long thresholdBytes);

    /// <summary>Kills anything left in the cgroup and removes it.</summary>
    void Destroy();
}
