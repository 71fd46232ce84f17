using Sandbox.Supervisor.Isolation.Devices;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Memory;

namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>
/// cgroup v2 (production hosts): one cgroup per worker at <c>PARENT/INSTANCE/WORKER</c>, so
/// supervisors with different state directories never touch each other's workers. PARENT is
/// <c>/sandbox</c> of the hierarchy for a root supervisor, or the supervisor's own cgroup when that
/// is a subtree delegated to it (systemd <c>Delegate=yes</c>), in which case the supervisor first
/// moves itself into a leaf (<c>supervisor</c>) beside its workers. v2 lets only leaves hold
/// processes once controllers are enabled for their children, which is why workers sit below an
/// instance directory that stays empty. v2 has no devices controller: the profile's device allowlist
/// is a BPF program on the worker's cgroup (<see cref="DeviceFilter"/>), attached when the
/// supervisor may load one (root); otherwise the worker's /dev view alone holds the allowlist.
/// </summary>
public sealed class CgroupV2Driver : ICgroupDriver, IDisposable
{
    /// <summary>Enabled for the workers' cgroups; a v2 hierarchy without one of them is not usable.</summary>
    public static readonly string[] Controllers = ["memory", "pids", "cpu"];

    private readonly string _mount;
    private readonly IReadOnlyList<string> _enableAlong;
    private readonly string _instanceDirectory;
    private readonly bool _attachDevices;

    private CgroupV2Driver(string mount, string parent, IReadOnlyList<string> enableAlong, string instance, bool attachDevices)
    {
        _mount = mount;
        _enableAlong = enableAlong;
        _instanceDirectory = Path.Combine(parent, instance);
        _attachDevices = attachDevices;
    }

    public string Name => "v2";

    /// <summary>Whether workers' cgroups get the device allowlist as a BPF program (it needs root).</summary>
    public bool AttachesDevicePrograms => _attachDevices;

    /// <summary>The directory under which this supervisor's worker cgroups are made.</summary>
    public string InstanceDirectory => _instanceDirectory;

    /// <summary>True when <paramref name="directory"/> is a cgroup v2 directory offering every controller this driver needs, and this process may make children in it.</summary>
    public static bool IsAvailable(string directory)
    {
        var available = Path.Combine(directory, "cgroup.controllers");
        return File.Exists(available) && MissingIn(available).Count == 0 && CgroupFiles.CanCreateChild(directory);
    }

    /// <summary>Workers under <c>/sandbox</c> of the hierarchy mounted at <paramref name="mount"/> (a root supervisor).</summary>
    public static CgroupV2Driver AtRoot(string mount, string instance) =>
        new(mount, Path.Combine(mount, "sandbox"), [mount, Path.Combine(mount, "sandbox")], instance, attachDevices: true);

    /// <summary>
    /// Workers under this process's own cgroup, when that is a v2 subtree delegated to it; null when it
    /// is not writable, or is the root and <paramref name="rootIsDelegated"/> is false. Moves this
    /// process into the leaf <c>supervisor</c> of that subtree.
    /// </summary>
    /// <param name="rootIsDelegated">
    /// The operator said so (<c>CgroupDriver=delegated</c>): a root cgroup is then the root of a private
    /// cgroup namespace — a container's own cgroup (Docker's default on v2) — not the host's.
    /// </param>
    public static CgroupV2Driver? InDelegatedSubtree(string mount, string instance, bool rootIsDelegated = false)
    {
        var own = File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];
        if (own is null || (own == "/" && !rootIsDelegated))
        {
            return null;
        }

        own = own.TrimEnd('/');
        var subtree = mount + (own.EndsWith("/supervisor", StringComparison.Ordinal) ? own[..^"/supervisor".Length] : own);
        if (!IsAvailable(subtree))
        {
            return null;
        }

        var leaf = Directory.CreateDirectory(Path.Combine(subtree, "supervisor")).FullName;
        File.WriteAllText(Path.Combine(leaf, "cgroup.procs"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new CgroupV2Driver(mount, subtree, [subtree], instance, attachDevices: Environment.IsPrivilegedProcess);
    }

    public IWorkerCgroup Create(string workerId, SandboxProfile profile)
    {
        foreach (var directory in _enableAlong)
        {
            EnableControllers(Directory.CreateDirectory(directory).FullName);
        }

        EnableControllers(Directory.CreateDirectory(_instanceDirectory).FullName);
        var directoryOfWorker = Directory.CreateDirectory(Path.Combine(_instanceDirectory, workerId)).FullName;
        var cgroup = new Worker(directoryOfWorker, directoryOfWorker[_mount.Length..]);
        try
        {
            Apply(cgroup, profile);

            // Before the worker joins, so no instruction of it runs unfiltered.
            if (_attachDevices)
            {
                DeviceFilter.Attach(cgroup.Directory, profile.Devices ?? []);
            }

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
        foreach (var directory in _enableAlong)
        {
            EnableControllers(Directory.CreateDirectory(directory).FullName);
        }

        var instance = Directory.CreateDirectory(_instanceDirectory).FullName;
        File.WriteAllText(Path.Combine(instance, "memory.max"), bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void RemoveStale()
    {
        if (Directory.Exists(_instanceDirectory))
        {
            foreach (var stale in Directory.EnumerateDirectories(_instanceDirectory))
            {
                Worker.Remove(stale);
            }
        }
    }

    /// <summary>On shutdown: removes every worker cgroup of this supervisor and its own directory (the parent may be shared).</summary>
    public void Dispose()
    {
        RemoveStale();
        if (Directory.Exists(_instanceDirectory))
        {
            Directory.Delete(_instanceDirectory);
        }
    }

    /// <summary>Makes the controllers available to the children of <paramref name="directory"/>, writing only what is missing (a delegated root may be read-only).</summary>
    private static void EnableControllers(string directory)
    {
        var file = Path.Combine(directory, "cgroup.subtree_control");
        var missing = MissingIn(file);
        if (missing.Count > 0)
        {
            File.WriteAllText(file, string.Join(' ', missing.Select(c => "+" + c)));
        }
    }

    /// <summary>Which of <see cref="Controllers"/> a <c>cgroup.controllers</c> or <c>cgroup.subtree_control</c> file does not list.</summary>
    private static List<string> MissingIn(string file) =>
        [.. Controllers.Except(File.ReadAllText(file).Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    private static void Apply(Worker cgroup, SandboxProfile profile)
    {
        var limits = profile.Limits!;
        cgroup.Write("memory.max", ByteSize.TryParse(limits.MemoryMax ?? "", out var max) ? max.ToString() : "max");
        cgroup.Write("memory.high", ByteSize.TryParse(limits.MemoryHigh ?? "", out var high) ? high.ToString() : "max");

        // The worker's processes die together: half a worker (bwrap without its child) is of no use.
        cgroup.Write("memory.oom.group", "1");

        // With swap, memory.max alone would let a worker page out instead of being stopped.
        if (File.Exists(Path.Combine(cgroup.Directory, "memory.swap.max")))
        {
            cgroup.Write("memory.swap.max", "0");
        }

        cgroup.Write("pids.max", limits.PidsMax?.ToString() ?? "max");
        cgroup.Write("cpu.max", limits.CpuMax ?? "max");
    }

    private sealed class Worker(string directory, string path) : IWorkerCgroup
    {
        public string Directory { get; } = directory;

        public IReadOnlyList<string> ProcsFiles => [System.IO.Path.Combine(Directory, "cgroup.procs")];

        public string Path { get; } = path;

        public void Write(string file, string value) => File.WriteAllText(System.IO.Path.Combine(Directory, file), value);

        public CgroupUsage ReadUsage()
        {
            try
            {
                return new CgroupUsage(
                    Read("memory.current"),
                    Read("memory.peak"),
                    Read("memory.max"),
                    Read("pids.current"),
                    Read("pids.max"),
                    CgroupFiles.ReadKey(System.IO.Path.Combine(Directory, "memory.events"), "oom_kill"),
                    File.Exists(System.IO.Path.Combine(Directory, "memory.pressure"))
                        ? PressureStall.Parse(File.ReadAllText(System.IO.Path.Combine(Directory, "memory.pressure")))
                        : null);
            }
            catch (IOException)
            {
                return CgroupUsage.None;
            }
        }

        public CpuReading ReadCpu()
        {
            try
            {
                var usage = CgroupFiles.ReadKey(System.IO.Path.Combine(Directory, "cpu.stat"), "usage_usec");
                return new CpuReading(
                    TimeSpan.FromMicroseconds(usage),
                    CpuReading.ReadStall(System.IO.Path.Combine(Directory, "cpu.pressure")) ?? CpuReading.ReadHostStall(),
                    CpuReading.ReadLoadPerCpu());
            }
            catch (IOException)
            {
                return CpuReading.None;
            }
        }

        public MemorySample ReadMemory(DateTimeOffset now)
        {
            try
            {
                var stat = CgroupFiles.ReadKeys(System.IO.Path.Combine(Directory, "memory.stat"));
                var events = CgroupFiles.ReadKeys(System.IO.Path.Combine(Directory, "memory.events"));
                var pressure = System.IO.Path.Combine(Directory, "memory.pressure");
                return new MemorySample(
                    now,
                    Read("memory.current"),
                    Read("memory.peak"),
                    Read("memory.max"),
                    stat.GetValueOrDefault("anon"),
                    stat.GetValueOrDefault("file"),
                    // Split by kind since Linux 5.9; one counter before.
                    stat.GetValueOrDefault("workingset_refault_anon") + stat.GetValueOrDefault("workingset_refault_file") + stat.GetValueOrDefault("workingset_refault"),
                    File.Exists(pressure) ? PressureStall.Parse(File.ReadAllText(pressure))?.FullTotal ?? TimeSpan.Zero : TimeSpan.Zero,
                    events.GetValueOrDefault("high"),
                    events.GetValueOrDefault("max"),
                    events.GetValueOrDefault("oom_kill"));
            }
            catch (IOException)
            {
                return MemorySample.Empty(now);
            }
        }

        public IReadOnlyList<Memory.Interop.KernelNotification> WatchMemory(long thresholdBytes)
        {
            // v2 has no usage thresholds: memory.high (set from the estimate) is the line, and memory.events says when it is crossed.
            var events = Memory.Interop.KernelNotification.FileChanges(System.IO.Path.Combine(Directory, "memory.events"), "memory.events changed (memory.high or memory.max reached)");
            try
            {
                return [events, Memory.Interop.KernelNotification.PressureTrigger(System.IO.Path.Combine(Directory, "memory.pressure"), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1))];
            }
            catch
            {
                events.Dispose();
                throw;
            }
        }

        public void SetMemoryLimits(long high, long max)
        {
            Write("memory.max", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Write("memory.high", high.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        public void Destroy() => Remove(Directory);

        /// <summary>
        /// <c>cgroup.kill</c> SIGKILLs every process inside at once, forks in flight included; children
        /// cgroups (none of ours makes any, but a stale one might have) go first, as rmdir needs.
        /// </summary>
        public static void Remove(string directory)
        {
            if (System.IO.Directory.Exists(directory))
            {
                foreach (var child in System.IO.Directory.EnumerateDirectories(directory))
                {
                    Remove(child);
                }
            }

            CgroupFiles.Remove(directory, d => File.WriteAllText(System.IO.Path.Combine(d, "cgroup.kill"), "1"));
        }

        private long Read(string file) => CgroupFiles.ReadNumber(System.IO.Path.Combine(Directory, file));
    }
}
