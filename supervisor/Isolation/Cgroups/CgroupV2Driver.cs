using Sandbox.Supervisor.Isolation.Devices;
using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>
/// cgroup v2 (production hosts): one cgroup per worker at <c>sandbox/INSTANCE/WORKER</c> under the
/// unified hierarchy, so supervisors with different state directories never touch each other's
/// workers. v2 lets only leaves hold processes once controllers are enabled for their children,
/// which is why workers sit two levels below the root and <c>sandbox</c> and <c>INSTANCE</c> stay
/// empty; the supervisor itself may be in the root (exempt from that rule) or in a leaf elsewhere.
/// v2 has no devices controller: the profile's device allowlist is a BPF program on the worker's
/// cgroup (<see cref="DeviceFilter"/>).
/// </summary>
public sealed class CgroupV2Driver(string root, string instance) : ICgroupDriver, IDisposable
{
    /// <summary>Enabled for the workers' cgroups; a v2 hierarchy without one of them is not usable.</summary>
    public static readonly string[] Controllers = ["memory", "pids", "cpu"];

    private readonly string _instanceDirectory = Path.Combine(root, "sandbox", instance);

    public string Name => "v2";

    /// <summary>True when <paramref name="root"/> is a cgroup v2 mount offering every controller this driver needs, and writable.</summary>
    public static bool IsAvailable(string root)
    {
        var available = Path.Combine(root, "cgroup.controllers");
        return File.Exists(available) && MissingIn(available).Count == 0 && CgroupFiles.CanCreateChild(root);
    }

    public IWorkerCgroup Create(string workerId, SandboxProfile profile)
    {
        EnableControllers(root);
        EnableControllers(Directory.CreateDirectory(Path.Combine(root, "sandbox")).FullName);
        EnableControllers(Directory.CreateDirectory(_instanceDirectory).FullName);
        var cgroup = new Worker(Directory.CreateDirectory(Path.Combine(_instanceDirectory, workerId)).FullName, $"/sandbox/{instance}/{workerId}");
        try
        {
            Apply(cgroup, profile);

            // Before the worker joins, so no instruction of it runs unfiltered.
            DeviceFilter.Attach(cgroup.Directory, profile.Devices ?? []);
            return cgroup;
        }
        catch
        {
            cgroup.Destroy();
            throw;
        }
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

    /// <summary>On shutdown: removes every worker cgroup of this supervisor and its own directory (<c>sandbox</c> may be shared).</summary>
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
                    CgroupFiles.ReadKey(System.IO.Path.Combine(Directory, "memory.events"), "oom_kill"));
            }
            catch (IOException)
            {
                return CgroupUsage.None;
            }
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
