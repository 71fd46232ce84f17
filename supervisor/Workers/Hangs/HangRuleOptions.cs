namespace Sandbox.Supervisor.Workers.Hangs;

/// <summary>The hang rule's thresholds; the timeout is the supervisor's <c>HangTimeout</c> (or the worker start timeout).</summary>
public sealed record HangRuleOptions(TimeSpan Timeout)
{
    /// <summary>
    /// How many timeouts a starved worker may go without progress before it is hung all the same:
    /// a busy host slows work down by a bounded factor, a stuck worker stays stuck.
    /// </summary>
    public int StarvedLimit { get; init; } = 4;

    /// <summary>The longest a starved worker may go without progress: <see cref="StarvedLimit"/> timeouts.</summary>
    public TimeSpan StarvedDeadline => Timeout * StarvedLimit;

    /// <summary>
    /// Below this CPU use over the window (in CPUs) a worker is asleep, blocked or stopped: even a
    /// starved runnable worker gets far more from the scheduler. An idle .NET worker uses ~0.001.
    /// </summary>
    public double IdleCpuShare { get; init; } = 0.02;

    /// <summary>The share of the window in which runnable work waited for a CPU (PSI <c>some</c>) that makes the host contended.</summary>
    public double StallShare { get; init; } = 0.10;

    /// <summary>Without PSI: the 1-minute load per CPU that makes the host contended.</summary>
    public double LoadPerCpu { get; init; } = 1.0;

    /// <summary>How often the watchdog reads the worker's CPU: a sixth of the timeout, between 50 ms and 1 s.</summary>
    public TimeSpan SampleInterval => TimeSpan.FromTicks(Math.Clamp(Timeout.Ticks / 6, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
}
