namespace Sandbox.Supervisor.Memory;

/// <summary>
/// The dual-source trigger's constants (seed §4.2), bound from <c>Sandbox:Memory:DualSource</c>.
/// Each source that is over its threshold adds its weight; the trigger trips when the sum reaches
/// <see cref="Trip"/>. With the seed's values (0.4 + 0.6, trip at 0.95) both must agree: the worker's
/// own view alone can be a transient allocation burst, the cgroup's alone can be reclaimable cache.
/// </summary>
public sealed record DualSourceTriggerOptions
{
    /// <summary>Weight of the worker's own view (its resident memory against its limit).</summary>
    public double WorkerWeight { get; set; } = 0.4;

    /// <summary>Share of the limit above which the worker's own view counts (seed: 80%).</summary>
    public double WorkerThreshold { get; set; } = 0.8;

    /// <summary>Weight of the cgroup's view (memory charged against its limit).</summary>
    public double CgroupWeight { get; set; } = 0.6;

    /// <summary>Share of the limit above which the cgroup's view counts (seed: 90%).</summary>
    public double CgroupThreshold { get; set; } = 0.9;

    /// <summary>Score at or above which the trigger trips (seed: 0.95).</summary>
    public double Trip { get; set; } = 0.95;
}
