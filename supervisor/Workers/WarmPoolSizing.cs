namespace Sandbox.Supervisor.Workers;

/// <summary>
/// How many idle warm workers the pool keeps: between <paramref name="minimum"/> and
/// <paramref name="maximum"/>. A session that finds the pool empty (a miss) raises the target by
/// one; a quiet spell of <paramref name="shrinkAfter"/> without a miss lowers it by one — growth is
/// quick because a miss costs a session its start-up, shrinking is slow because an idle worker
/// only costs memory.
/// </summary>
internal sealed class WarmPoolSizing
{
    private readonly Lock _gate = new();
    private readonly int _minimum;
    private readonly int _maximum;
    private readonly TimeSpan _shrinkAfter;
    private int _target;
    private DateTimeOffset _quietSince;

    public WarmPoolSizing(int minimum, int maximum, TimeSpan shrinkAfter, DateTimeOffset now)
    {
        (_minimum, _maximum, _shrinkAfter) = (minimum, maximum, shrinkAfter);
        _target = minimum;
        _quietSince = now;
    }

    public int Target
    {
        get
        {
            lock (_gate)
            {
                return _target;
            }
        }
    }

    /// <summary>A session found no idle worker.</summary>
    public void Miss(DateTimeOffset now)
    {
        lock (_gate)
        {
            _target = Math.Min(_maximum, _target + 1);
            _quietSince = now;
        }
    }

    /// <summary>Lets time pass: after a quiet spell the target comes down one step (and the next spell starts).</summary>
    public void Tick(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (now - _quietSince >= _shrinkAfter && _target > _minimum)
            {
                _target--;
                _quietSince = now;
            }
        }
    }
}
