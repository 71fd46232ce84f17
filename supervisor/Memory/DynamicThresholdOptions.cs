namespace Sandbox.Supervisor.Memory;

/// <summary>The dynamic threshold's weights (seed §4.3), bound from <c>Sandbox:Memory:Threshold</c>; see <see cref="DynamicThreshold"/>.</summary>
public sealed record DynamicThresholdOptions
{
    /// <summary>Weight of the workers' working set, P × R (seed: 0.62).</summary>
    public double Alpha { get; set; } = 0.62;

    /// <summary>Weight of the I/O buffers, B × log₂N (seed: 0.28).</summary>
    public double Beta { get; set; } = 0.28;

    /// <summary>Weight of the time since the last reclaim, Δt (seed: 0.10).</summary>
    public double Gamma { get; set; } = 0.10;

    /// <summary>B: the I/O buffer block size in KiB (FFmpeg's AVIOContext default: 32 KiB).</summary>
    public double BufferBlockKiB { get; set; } = 32;

    /// <summary>Δt is counted up to this: after a long calm the drift term stops growing (10 min: γ·Δt ≤ 60 MiB).</summary>
    public TimeSpan MaxSinceReclaim { get; set; } = TimeSpan.FromMinutes(10);
}
