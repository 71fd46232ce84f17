namespace Sandbox.Supervisor.Memory;

/// <summary>
/// One reading of a cgroup's memory (a worker's, or the supervisor's whole slice), with the counters
/// the pressure index needs. Counters (refaults, stall time, events) are cumulative since the cgroup
/// was made: rates come from two samples.
/// </summary>
/// <param name="Time">When it was read.</param>
/// <param name="Current">Bytes charged now (v2 <c>memory.current</c>; v1 <c>memory.usage_in_bytes</c>).</param>
/// <param name="Peak">Most bytes charged so far (v2 <c>memory.peak</c>; v1 <c>memory.max_usage_in_bytes</c>).</param>
/// <param name="Limit">The hard limit in bytes (v2 <c>memory.max</c>; v1 <c>memory.limit_in_bytes</c>); 0 or <see cref="long.MaxValue"/> when unlimited.</param>
/// <param name="Anon">Anonymous memory (heap, stacks): what a leak grows.</param>
/// <param name="File">Page cache: reclaimable, mostly.</param>
/// <param name="Refaults">
/// Pages refaulted after reclaim (v2 <c>workingset_refault_anon</c> + <c>_file</c>); on v1, whose
/// memory.stat has no refault counter, major faults (<c>total_pgmajfault</c>) stand in.
/// </param>
/// <param name="FullStall">Time in which all of the cgroup's tasks stalled on memory (v2 PSI <c>full total</c>); zero on v1.</param>
/// <param name="HighEvents">Times usage went over <c>memory.high</c> (v2); zero on v1.</param>
/// <param name="MaxEvents">Times usage hit the hard limit (v2 <c>memory.events max</c>; v1 <c>memory.failcnt</c>).</param>
/// <param name="OomKills">Processes the kernel killed for this cgroup's limit.</param>
public sealed record MemorySample(
    DateTimeOffset Time,
    long Current,
    long Peak,
    long Limit,
    long Anon,
    long File,
    long Refaults,
    TimeSpan FullStall,
    long HighEvents,
    long MaxEvents,
    long OomKills)
{
    /// <summary>Nothing known (no cgroup, or it is gone).</summary>
    public static MemorySample Empty(DateTimeOffset time) => new(time, 0, 0, 0, 0, 0, 0, TimeSpan.Zero, 0, 0, 0);

    /// <summary>Whether the limit is a real one (the kernel writes "max" or a huge page-aligned number for none).</summary>
    public bool HasLimit => Limit > 0 && Limit < (1L << 60);
}
