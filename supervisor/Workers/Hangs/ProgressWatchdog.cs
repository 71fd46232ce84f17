using Sandbox.Supervisor.Isolation.Cgroups;

namespace Sandbox.Supervisor.Workers.Hangs;

/// <summary>
/// Watches one worker for hangs by the <see cref="HangRule"/>: reads its cgroup's CPU every sample
/// interval, tells <paramref name="onStarved"/> once per silence when it gives a starved worker more
/// time, and calls <paramref name="onHung"/> once when the worker is hung. <see cref="Progressed"/>
/// re-arms it. Disposing it stops the watch.
/// </summary>
internal sealed class ProgressWatchdog : IDisposable
{
    private readonly HangRule _rule;
    private readonly Func<CpuReading> _read;
    private readonly Action<HangVerdict> _onStarved;
    private readonly Action<HangVerdict> _onHung;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private bool _starvedTold;
    private bool _stopped;

    public ProgressWatchdog(HangRuleOptions options, Func<CpuReading> read, TimeProvider time, Action<HangVerdict> onStarved, Action<HangVerdict> onHung)
    {
        _rule = new HangRule(options);
        _read = read;
        _time = time;
        _onStarved = onStarved;
        _onHung = onHung;
        _rule.Progressed(time.GetUtcNow());
        _rule.Observe(time.GetUtcNow(), read());
        _timer = time.CreateTimer(_ => Sample(), null, options.SampleInterval, options.SampleInterval);
    }

    /// <summary>The verdict that made the worker hung, once it is; null until then.</summary>
    public HangVerdict? Hung { get; private set; }

    /// <summary>Whether the worker was ever given more time for starvation since it last progressed (or, once hung, in its last silence).</summary>
    public bool WasStarved
    {
        get
        {
            lock (_lock)
            {
                return _rule.WasStarved;
            }
        }
    }

    public void Progressed()
    {
        lock (_lock)
        {
            _rule.Progressed(_time.GetUtcNow());
            _starvedTold = false;
        }
    }

    /// <summary>
    /// Stops the watch for good and returns the verdict that made the worker hung, if any. Called once
    /// the worker's stream has ended: a worker that goes quiet while it is being stopped is not hung.
    /// </summary>
    public HangVerdict? Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _timer.Dispose();
            return Hung;
        }
    }

    public void Dispose() => Stop();

    private void Sample()
    {
        HangVerdict verdict;
        bool tell;
        lock (_lock)
        {
            if (Hung is not null || _stopped)
            {
                return;
            }

            verdict = _rule.Observe(_time.GetUtcNow(), _read());
            tell = verdict.State == HangState.Starved && !_starvedTold;
            _starvedTold |= tell;
            if (verdict.State == HangState.Hung)
            {
                Hung = verdict;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }

        if (tell)
        {
            _onStarved(verdict);
        }
        else if (verdict.State == HangState.Hung)
        {
            _onHung(verdict);
        }
    }
}
