namespace Sandbox.Supervisor.Memory;

/// <summary>The instantaneous Memory Pressure Index of a cgroup from two consecutive samples (seed §4.1).</summary>
public static class PressureIndex
{
    /// <summary>MPI ∈ [0, 1] over the interval from <paramref name="previous"/> to <paramref name="current"/>; usage only when there is no previous sample.</summary>
    public static double Of(MemorySample? previous, MemorySample current, PressureIndexOptions options)
    {
        var usage = current.HasLimit ? Math.Clamp((double)current.Current / current.Limit, 0, 1) : 0;
        double refaults = 0, stall = 0;
        if (previous is not null && current.Time > previous.Time)
        {
            var seconds = (current.Time - previous.Time).TotalSeconds;
            refaults = Math.Clamp(Math.Max(0, current.Refaults - previous.Refaults) / seconds / options.RefaultScale, 0, 1);
            stall = Math.Clamp((current.FullStall - previous.FullStall).TotalSeconds / seconds, 0, 1);
        }

        return Math.Min(1, (options.UsageWeight * usage) + (options.RefaultWeight * refaults) + (options.StallWeight * stall));
    }
}
