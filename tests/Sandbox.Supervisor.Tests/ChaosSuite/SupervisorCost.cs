using System.Globalization;

namespace Sandbox.Supervisor.Tests.ChaosSuite;

/// <summary>
/// What the supervisor process itself used (from /proc): CPU time and peak resident memory; and, as
/// GetStatus reports it, the mean wall time of one round of its memory sampling.
/// </summary>
public sealed record SupervisorCost(int Pid, TimeSpan Cpu, long PeakRssBytes, int Restarts, TimeSpan SamplingRound = default)
{
    public static SupervisorCost Read(int pid, int restarts, TimeSpan samplingRound = default)
    {
        // Fields 14 and 15 of /proc/PID/stat (after the command in parentheses) are utime and stime in clock ticks (USER_HZ, 100 on Linux).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var peak = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kib = long.Parse(peak.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return new SupervisorCost(pid, TimeSpan.FromSeconds(ticks / 100.0), kib * 1024, restarts, samplingRound);
    }

    public override string ToString() =>
        $"pid {Pid}, restarts {Restarts}, cpu {Cpu.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, peak rss {PeakRssBytes >> 20} MiB, memory sampling {SamplingRound.TotalMicroseconds.ToString("0", CultureInfo.InvariantCulture)} µs per round";
}
