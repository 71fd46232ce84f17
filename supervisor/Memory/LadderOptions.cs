namespace Sandbox.Supervisor.Memory;

/// <summary>When the downgrade ladder steps, and how far each rung goes (<c>Sandbox:Memory:Ladder</c>).</summary>
public sealed record LadderOptions
{
    /// <summary>
    /// Smoothed MPI at or above which a session steps down one rung. With the seed's weights usage
    /// alone contributes at most 0.6, so 0.5 is a worker at 83% of its limit with no thrashing — or
    /// less full but refaulting or stalling.
    /// </summary>
    public double DowngradeAt { get; set; } = 0.5;

    /// <summary>Smoothed MPI below which a session counts as calm (0.35: under 58% of its limit, quiet).</summary>
    public double RecoverBelow { get; set; } = 0.35;

    /// <summary>
    /// After a step, how long before the next one: the step must take effect first (it applies at
    /// the worker's next chunk, 4 s by default, and memory is released as the old encoder drains).
    /// </summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a session must stay calm before it steps back up one rung (hysteresis: no flapping).</summary>
    public TimeSpan RecoverAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The frame-rate rung keeps at most this share of the source's rate.</summary>
    public double FrameRateFactor { get; set; } = 0.5;

    /// <summary>The resolution rung keeps at most this share of the source's height.</summary>
    public double HeightFactor { get; set; } = 0.5;

    /// <summary>The encoder rung's preset for H.264/HEVC (x264/x265 names).</summary>
    public string CheapPreset { get; set; } = "ultrafast";

    /// <summary>The encoder rung's VP9 <c>cpu-used</c> level (0–8; 8 is the fastest). AV1 takes no preset change mid-file.</summary>
    public string CheapVp9Preset { get; set; } = "8";
}
