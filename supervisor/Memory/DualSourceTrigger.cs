namespace Sandbox.Supervisor.Memory;

/// <summary>
/// Seed §4.2: a worker is over its memory threshold only when its own report (resident bytes, as
/// the process sees them) and its cgroup (bytes charged, cache included) say so together, weighted.
/// </summary>
public static class DualSourceTrigger
{
    /// <summary>The weighted score ∈ [0, 1] for a worker of <paramref name="limit"/> bytes.</summary>
    public static double Score(long workerResident, long cgroupCurrent, long limit, DualSourceTriggerOptions options)
    {
        if (limit <= 0)
        {
            return 0;
        }

        var score = 0.0;
        if ((double)workerResident / limit > options.WorkerThreshold)
        {
            score += options.WorkerWeight;
        }

        if ((double)cgroupCurrent / limit > options.CgroupThreshold)
        {
            score += options.CgroupWeight;
        }

        return score;
    }

    public static bool Trips(long workerResident, long cgroupCurrent, long limit, DualSourceTriggerOptions options) =>
        Score(workerResident, cgroupCurrent, limit, options) >= options.Trip;
}
