namespace Sandbox.Supervisor.Supervision;

/// <summary>
/// How long to wait before a session's next worker: the first restart is immediate (most deaths
/// are one-off), later ones back off exponentially from <c>baseDelay</c> up to <c>maxDelay</c>,
/// with "equal jitter" (between half and all of the step) so sessions that crashed together do
/// not restart together.
/// </summary>
public static class RestartBackoff
{
    /// <param name="restart">1 for the session's first restart, 2 for the second…</param>
    /// <param name="jitter">A uniform random number in [0, 1).</param>
    public static TimeSpan Delay(int restart, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        if (restart <= 1)
        {
            return TimeSpan.Zero;
        }

        var step = baseDelay.Ticks * Math.Pow(2, Math.Min(restart - 2, 30));
        var capped = Math.Min(step, maxDelay.Ticks);
        return TimeSpan.FromTicks((long)(capped * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1)))));
    }
}
