namespace Sandbox.Supervisor.Memory;

/// <summary>Memory governance settings (<c>Sandbox:Memory</c>): sampling and the policy's constants.</summary>
public sealed record MemoryOptions
{
    /// <summary>How often every busy worker's memory is sampled (seed §4.1: every second).</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether the kernel's memory notifications (v2: PSI trigger, memory.events; v1: a usage
    /// threshold at the downgrade line) wake the governor at once, between periodic samples.
    /// </summary>
    public bool Events { get; set; } = true;

    /// <summary>Whether the governor acts on the ladder (downgrades and evicts live sessions); off, memory is only sampled and shown.</summary>
    public bool Governor { get; set; } = true;

    /// <summary>How long an evicted session waits before it is queued again to resume (memory frees up meanwhile).</summary>
    public TimeSpan EvictionRequeueDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes all workers together may hold (idle warm ones included); 0 = 80% of the host's physical memory.</summary>
    public long Budget { get; set; }

    /// <summary>
    /// The kernel's cap on all workers together (the cgroup above theirs) is the budget plus this:
    /// room for workers being started and probed, whose memory admission control has not weighed
    /// yet. The cap is the last line — admission and the governor keep the workers under the budget.
    /// </summary>
    public long KernelCapHeadroomBytes { get; set; } = 384L << 20;

    public PressureIndexOptions PressureIndex { get; set; } = new();

    public DualSourceTriggerOptions DualSource { get; set; } = new();

    public DynamicThresholdOptions Threshold { get; set; } = new();

    public LadderOptions Ladder { get; set; } = new();

    public EstimateOptions Estimate { get; set; } = new();

    public AdmissionOptions Admission { get; set; } = new();
}
