namespace Sandbox.Supervisor.Supervision;

/// <summary>
/// The supervisor-wide restart budget, like an OTP supervisor's intensity: at most <c>limit</c>
/// restarts within <c>window</c>, across all sessions. Beyond it the supervisor stops restarting
/// workers and stops admitting sessions until the oldest restart leaves the window.
/// </summary>
public sealed class RestartIntensity(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _restarts = new();

    /// <summary>Restarts within the window now.</summary>
    public int Recent
    {
        get
        {
            lock (_gate)
            {
                Prune();
                return _restarts.Count;
            }
        }
    }

    /// <summary>The window is full: no restart may be made and no session admitted.</summary>
    public bool IsExhausted => Recent >= limit;

    /// <summary>How long until the window has room again (zero when it has room now).</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            lock (_gate)
            {
                Prune();
                return _restarts.Count < limit ? TimeSpan.Zero : _restarts.Peek() + window - time.GetUtcNow();
            }
        }
    }

    public int Limit => limit;

    public TimeSpan Window => window;

    /// <summary>Counts a restart about to be made.</summary>
    public void Record()
    {
        lock (_gate)
        {
            Prune();
            _restarts.Enqueue(time.GetUtcNow());
        }
    }

    private void Prune()
    {
        var horizon = time.GetUtcNow() - window;
        while (_restarts.TryPeek(out var oldest) && oldest <= horizon)
        {
            _restarts.Dequeue();
        }
    }
}
