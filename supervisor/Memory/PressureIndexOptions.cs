namespace Sandbox.Supervisor.Memory;

/// <summary>
/// The Memory Pressure Index's constants (seed §4.1), bound from <c>Sandbox:Memory:PressureIndex</c>.
/// MPI = min(1, UsageWeight·u + RefaultWeight·r + StallWeight·s), where
/// u = bytes charged ÷ limit (0–1),
/// r = refaulted pages per second ÷ <see cref="RefaultScale"/> (capped at 1), and
/// s = share of wall time in which all tasks stalled on memory (PSI full; 0–1);
/// then smoothed over <see cref="Window"/> with weight <see cref="Decay"/>^age(s) per sample.
/// </summary>
public sealed record PressureIndexOptions
{
    /// <summary>Weight of memory used against the limit (seed: 0.6): the dominant, slowest signal.</summary>
    public double UsageWeight { get; set; } = 0.6;

    /// <summary>Weight of working-set refaults (seed: 0.2): pages the kernel reclaimed and had to bring back.</summary>
    public double RefaultWeight { get; set; } = 0.2;

    /// <summary>Weight of the full memory stall share (seed: 0.2): time in which nothing ran for want of memory.</summary>
    public double StallWeight { get; set; } = 0.2;

    /// <summary>Refaults per second that count as 1 (seed: 1000/s, i.e. ~4 MiB/s of 4 KiB pages thrashing).</summary>
    public double RefaultScale { get; set; } = 1000;

    /// <summary>How far back samples count in the smoothed index (seed: 60 s).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Weight per second of a sample's age (seed: 0.95, so a 59 s old sample weighs 0.05).</summary>
    public double Decay { get; set; } = 0.95;
}
