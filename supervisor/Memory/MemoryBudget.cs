using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Memory;

/// <summary>
/// The memory all workers together may hold: <see cref="MemoryOptions.Budget"/>, or by default 80%
/// of the host's physical memory (what <c>/proc/meminfo</c> calls MemTotal), so that the kernel's
/// host-wide OOM killer never has to run. Every live worker counts, idle warm ones included.
/// </summary>
internal sealed class MemoryBudget(WorkerRegistry workers, IOptions<SupervisorOptions> options, TimeProvider time)
{
    private const double DefaultShare = 0.8;

    /// <summary>The budget in bytes.</summary>
    public long Bytes { get; } = options.Value.Memory.Budget > 0 ? options.Value.Memory.Budget : (long)(HostMemory() * DefaultShare);

    /// <summary>Bytes charged now to all live workers' cgroups.</summary>
    public long Used()
    {
        var now = time.GetUtcNow();
        return workers.All().Sum(w => w.Cgroup.ReadMemory(now).Current);
    }

    /// <summary>MemTotal from /proc/meminfo, in bytes.</summary>
    private static long HostMemory()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
