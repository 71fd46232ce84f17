using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Memory;

namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>
/// cgroup v1 (hybrid hosts): one directory per worker in each of the memory, pids, cpu and devices
/// hierarchies, under <c>sandbox/INSTANCE</c> so supervisors with different state directories
/// never touch each other's workers.
/// </summary>
public sealed class CgroupV1Driver(string root, string instance) : ICgroupDriver, IDisposable
{
    public static readonly string[] Controllers = ["memory", "pids", "cpu", "cpuacct", "devices"];

    public string Name => "v1";

    /// <summary>True when every controller this driver needs is mounted here and writable.</summary>
    public static bool IsAvailable(string root) =>
        Controllers.All(c => File.Exists(System.IO.Path.Combine(root, c, "cgroup.procs")))
        && CgroupFiles.CanCreateChild(System.IO.Path.Combine(root, "memory"));

    public IWorkerCgroup Create(string workerId, SandboxProfile profile)
    {
        var cgroup = new Worker(Controllers.ToDictionary(c => c, c => System.IO.Path.Combine(root, c, "sandbox", instance, workerId)));
        try
        {
            foreach (var directory in cgroup.Directories.Values)
            {
                Directory.CreateDirectory(directory);
            }

            Apply(cgroup, profile);
            return cgroup;
        }
        catch
        {
            cgroup.Destroy();
            throw;
        }
    }

    public void LimitAll(long bytes)
    {
        // v1 limits are hierarchical (use_hierarchy is always on in current kernels).
        var instanceDirectory = Directory.CreateDirectory(System.IO.Path.Combine(root, "memory", "sandbox", instance)).FullName;
        File.WriteAllText(System.IO.Path.Combine(instanceDirectory, "memory.limit_in_bytes"), bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void RemoveStale()
    {
        foreach (var controller in Controllers)
        {
            var parent = System.IO.Path.Combine(root, controller, "sandbox", instance);
            if (!Directory.Exists(parent))
            {
                continue;
            }

            foreach (var stale in Directory.EnumerateDirectories(parent))
            {
                Worker.Remove(stale);
            }
        }
    }

    /// <summary>On shutdown: removes every worker cgroup of this supervisor and its own directories.</summary>
    public void Dispose()
    {
        RemoveStale();
        foreach (var controller in Controllers)
        {
            var parent = System.IO.Path.Combine(root, controller, "sandbox", instance);
            if (Directory.Exists(parent))
            {
                Directory.Delete(parent);
            }
        }
    }

    private static void Apply(Worker cgroup, SandboxProfile profile)
    {
        var limits = profile.Limits!;
        if (ByteSize.TryParse(limits.MemoryMax ?? "", out var max))
        {
            cgroup.Write("memory", "memory.limit_in_bytes", max.ToString());
        }

        // v1 has no memory.high; the soft limit is what reclaim aims for under pressure.
        if (ByteSize.TryParse(limits.MemoryHigh ?? "", out var high))
        {
            cgroup.Write("memory", "memory.soft_limit_in_bytes", high.ToString());
        }

        cgroup.Write("pids", "pids.max", limits.PidsMax?.ToString() ?? "max");
        if (limits.CpuMax?.Split(' ') is [var quota, var period])
        {
            cgroup.Write("cpu", "cpu.cfs_period_us", period);
            cgroup.Write("cpu", "cpu.cfs_quota_us", quota == "max" ? "-1" : quota);
        }

        cgroup.Write("devices", "devices.deny", "a");
        foreach (var device in profile.Devices ?? [])
        {
            cgroup.Write("devices", "devices.allow", $"{device.Type} {Number(device.Major)}:{Number(device.Minor)} {device.Access}");
        }
    }

    private static string Number(int? value) => value is null or < 0 ? "*" : value.Value.ToString();

    private sealed class Worker(Dictionary<string, string> directories) : IWorkerCgroup
    {
        public Dictionary<string, string> Directories { get; } = directories;

        public IReadOnlyList<string> ProcsFiles => [.. Directories.Values.Select(d => System.IO.Path.Combine(d, "cgroup.procs"))];

        public string Path => Directories["memory"][(Directories["memory"].IndexOf("/sandbox/", StringComparison.Ordinal))..];

        public void Write(string controller, string file, string value) =>
            File.WriteAllText(System.IO.Path.Combine(Directories[controller], file), value);

        public CgroupUsage ReadUsage()
        {
            try
            {
                return new CgroupUsage(
                    Read("memory", "memory.usage_in_bytes"),
                    Read("memory", "memory.max_usage_in_bytes"),
                    Read("memory", "memory.limit_in_bytes"),
                    Read("pids", "pids.current"),
                    Read("pids", "pids.max"),
                    CgroupFiles.ReadKey(System.IO.Path.Combine(Directories["memory"], "memory.oom_control"), "oom_kill"));
            }
            catch (IOException)
            {
                return CgroupUsage.None;
            }
        }

        /// <summary>v1 has no per-cgroup PSI: the host's CPU pressure stands for the worker's.</summary>
        public CpuReading ReadCpu()
        {
            try
            {
                return new CpuReading(
                    TimeSpan.FromTicks(Read("cpuacct", "cpuacct.usage") / 100),
                    CpuReading.ReadHostStall(),
                    CpuReading.ReadLoadPerCpu());
            }
            catch (IOException)
            {
                return CpuReading.None;
            }
        }

        /// <summary>
        /// The v1 equivalents: <c>memory.stat</c>'s hierarchical totals (rss, cache, and major faults
        /// for refaults, which v1 does not count), <c>memory.failcnt</c> for hits of the limit; no PSI.
        /// </summary>
        public MemorySample ReadMemory(DateTimeOffset now)
        {
            try
            {
                var stat = CgroupFiles.ReadKeys(System.IO.Path.Combine(Directories["memory"], "memory.stat"));
                return new MemorySample(
                    now,
                    Read("memory", "memory.usage_in_bytes"),
                    Read("memory", "memory.max_usage_in_bytes"),
                    Read("memory", "memory.limit_in_bytes"),
                    stat.GetValueOrDefault("total_rss"),
                    stat.GetValueOrDefault("total_cache"),
                    stat.GetValueOrDefault("total_pgmajfault"),
                    TimeSpan.Zero,
                    0,
                    Read("memory", "memory.failcnt"),
                    CgroupFiles.ReadKey(System.IO.Path.Combine(Directories["memory"], "memory.oom_control"), "oom_kill"));
            }
            catch (IOException)
            {
                return MemorySample.Empty(now);
            }
        }

        public IReadOnlyList<Memory.Interop.KernelNotification> WatchMemory(long thresholdBytes) =>
            [Memory.Interop.KernelNotification.UsageThreshold(Directories["memory"], thresholdBytes)];

        public void SetMemoryLimits(long high, long max)
        {
            Write("memory", "memory.limit_in_bytes", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Write("memory", "memory.soft_limit_in_bytes", high.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        public void Destroy()
        {
            foreach (var directory in Directories.Values)
            {
                Remove(directory);
            }
        }

        /// <summary>Kills what is left inside (v1 has no cgroup.kill), then removes the directory once it is empty.</summary>
        public static void Remove(string directory) => CgroupFiles.Remove(directory, KillProcesses);

        private static void KillProcesses(string directory)
        {
            foreach (var pid in File.ReadAllLines(System.IO.Path.Combine(directory, "cgroup.procs")).Where(l => l.Length > 0).Select(int.Parse))
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }

        private long Read(string controller, string file) => CgroupFiles.ReadNumber(System.IO.Path.Combine(Directories[controller], file));
    }
}
