using Sandbox.Supervisor.Isolation.Cgroups;

namespace Sandbox.Supervisor.Workers.Hangs;

/// <summary>
/// Tells a stuck worker from a starved one. A worker that reports no progress for the timeout is
/// hung when it is not getting work done for a reason of its own: it used (almost) no CPU over the
/// window — asleep, blocked, stopped — or it used CPU on a host with CPU to spare — spinning. A
/// worker that used CPU while the host was short of it (PSI <c>some</c> stall, or the load average
/// without PSI) is starved, not stuck: it gets more time, up to <see cref="HangRuleOptions.StarvedLimit"/>
/// times the timeout, and is hung after that. The rule keeps the readings of the current silence
/// only; it does no I/O and reads no clock, so a recorded series replays exactly.
/// </summary>
public sealed class HangRule(HangRuleOptions options)
{
    private readonly List<(DateTimeOffset At, CpuReading Reading)> _readings = [];
    private DateTimeOffset _lastProgress;

    public HangRuleOptions Options => options;

    /// <summary>Whether the current silence has already been judged starved at least once.</summary>
    public bool WasStarved { get; private set; }

    /// <summary>Starts (or restarts) the clock: the worker was started, or reported progress.</summary>
    public void Progressed(DateTimeOffset at)
    {
        _lastProgress = at;
        WasStarved = false;
        // The reading at the start of the silence stays as the baseline of the first window.
        if (_readings.Count > 0)
        {
            var last = _readings[^1];
            _readings.Clear();
            _readings.Add((at, last.Reading));
        }
    }

    /// <summary>Adds a reading taken at <paramref name="at"/> and judges the worker as of then.</summary>
    public HangVerdict Observe(DateTimeOffset at, CpuReading reading)
    {
        _readings.Add((at, reading));
        var silence = at - _lastProgress;
        if (silence < options.Timeout)
        {
            Trim(at);
            return HangVerdict.Progressing(silence);
        }

        // The window is the last timeout's worth: from the newest reading at or before its start.
        var start = at - options.Timeout;
        var baseline = _readings.FindLast(r => r.At <= start);
        if (baseline.Reading is null)
        {
            baseline = _readings[0];
        }

        Trim(at);
        var span = (at - baseline.At).TotalSeconds;
        var cpu = span > 0 ? Math.Max(0, (reading.Used - baseline.Reading.Used).TotalSeconds) / span : 0;
        var stall = reading.Stalled is { } now && baseline.Reading.Stalled is { } then
            ? (span > 0 ? Math.Max(0, (now - then).TotalSeconds) / span : 0)
            : reading.LoadPerCpu;
        var contended = reading.Stalled is not null && baseline.Reading.Stalled is not null
            ? stall >= options.StallShare
            : stall >= options.LoadPerCpu;

        var state = cpu < options.IdleCpuShare ? HangState.Hung
            : !contended ? HangState.Hung
            : silence < options.StarvedDeadline ? HangState.Starved
            : HangState.Hung;
        WasStarved |= state == HangState.Starved;
        return new HangVerdict(state, silence, cpu, stall, contended);
    }

    /// <summary>Keeps only what the next window can start from.</summary>
    private void Trim(DateTimeOffset at)
    {
        var start = at - options.Timeout;
        var keepFrom = _readings.FindLastIndex(r => r.At <= start);
        if (keepFrom > 0)
        {
            _readings.RemoveRange(0, keepFrom);
        }
    }
}
