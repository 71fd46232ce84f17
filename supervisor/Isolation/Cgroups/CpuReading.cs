using System.Globalization;

namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>
/// What the kernel says about a worker's CPU at one moment, as running totals: the CPU time its cgroup
/// consumed, and how long work was runnable but waiting for a CPU. The hang rule compares two readings.
/// </summary>
/// <param name="Used">CPU time the worker's cgroup consumed so far (v2 <c>cpu.stat usage_usec</c>, v1 <c>cpuacct.usage</c>).</param>
/// <param name="Stalled">
/// Time in which at least one task was runnable but not running (PSI <c>some total</c>): the worker's
/// own cgroup's <c>cpu.pressure</c> on v2, the host's <c>/proc/pressure/cpu</c> on v1; null without PSI.
/// </param>
/// <param name="LoadPerCpu">The host's 1-minute load average per CPU, for when there is no PSI to read.</param>
public sealed record CpuReading(TimeSpan Used, TimeSpan? Stalled, double LoadPerCpu)
{
    /// <summary>Nothing known: no cgroup, or it is gone. A worker that reads like this looks idle.</summary>
    public static CpuReading None { get; } = new(TimeSpan.Zero, null, 0);

    private const string HostPressure = "/proc/pressure/cpu";

    /// <summary>The host's CPU pressure (<c>some total</c>), or null when the kernel has no PSI.</summary>
    public static TimeSpan? ReadHostStall() => ReadStall(HostPressure);

    /// <summary>A PSI file's <c>some total</c>, or null when the file is absent or unreadable.</summary>
    public static TimeSpan? ReadStall(string pressureFile)
    {
        try
        {
            return File.Exists(pressureFile) ? PressureStall.Parse(File.ReadAllText(pressureFile))?.SomeTotal : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The 1-minute load average over the CPUs this process may use.</summary>
    public static double ReadLoadPerCpu()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load / Environment.ProcessorCount : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
