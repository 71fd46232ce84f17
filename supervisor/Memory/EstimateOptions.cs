namespace Sandbox.Supervisor.Memory;

/// <summary>
/// How a session's memory is estimated from its probed input (<c>Sandbox:Memory:Estimate</c>), and
/// how its worker's cgroup limits follow from the estimate. The defaults were measured with
/// <c>/usr/bin/time</c> on 2 cores (4 s testsrc2 clips, 360p to 2160p; README "Memory governance"):
/// peak memory grows with the pixels decoded and encoded, not with the frame rate (2160p → 720p
/// at 30 or 15 fps peaked within 0.5% of each other).
/// </summary>
public sealed record EstimateOptions
{
    /// <summary>What a worker holds before any frame: the .NET runtime, gRPC, the FFmpeg libraries (bytes).</summary>
    public long BaseBytes { get; set; } = 96L << 20;

    /// <summary>Decoder bytes per input pixel, by FFmpeg codec name (reference frames and threads' frames in flight).</summary>
    public Dictionary<string, double> DecodeBytesPerPixel { get; set; } = new(StringComparer.Ordinal)
    {
        ["h264"] = 18,
        ["hevc"] = 24,
        ["vp9"] = 20,
        ["av1"] = 32,
    };

    /// <summary>For a codec <see cref="DecodeBytesPerPixel"/> does not name.</summary>
    public double OtherDecodeBytesPerPixel { get; set; } = 32;

    /// <summary>
    /// Encoder bytes per output pixel at the spec's settings, by codec (h264, hevc, vp9, av1): x264's
    /// default preset keeps a 40-frame lookahead and frame threads, libvpx its lag frames.
    /// </summary>
    public Dictionary<string, double> EncodeBytesPerPixel { get; set; } = new(StringComparer.Ordinal)
    {
        ["h264"] = 215,
        ["hevc"] = 300,
        ["vp9"] = 130,
        ["av1"] = 200,
    };

    /// <summary>For a codec <see cref="EncodeBytesPerPixel"/> does not name.</summary>
    public double OtherEncodeBytesPerPixel { get; set; } = 300;

    /// <summary>Encoder bytes per output pixel on the ladder's encoder rung (fastest preset, one thread, no lookahead).</summary>
    public double CheapEncodeBytesPerPixel { get; set; } = 30;

    /// <summary>memory.high is the estimate times this (reclaim and throttling start there: the governor sees the pressure).</summary>
    public double HighHeadroom { get; set; } = 1.5;

    /// <summary>memory.max is the estimate times this: room for what the estimate misses, bounded so a runaway worker stops early.</summary>
    public double MaxHeadroom { get; set; } = 2.0;

    /// <summary>No worker's limits go below this (small inputs still need the runtime and some slack).</summary>
    public long MinimumLimitBytes { get; set; } = 384L << 20;
}
