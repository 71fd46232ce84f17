using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// A cheaper way to encode the rest of a checkpointed transcode, applied from a chunk boundary on:
/// a frame-rate cut, a resolution scale, a cheaper encoder configuration. Null members leave the
/// session's own settings. Adjustments accumulate: a later one overrides only what it sets.
/// </summary>
public sealed record VideoAdjustment
{
    /// <summary>Keep every n-th frame so the rate is at most this (the rate becomes the source rate divided by a whole n).</summary>
    public Rational? MaxFrameRate { get; init; }

    /// <summary>Scale down to at most this many lines, keeping the aspect ratio (sizes stay even).</summary>
    public int? MaxHeight { get; init; }

    /// <summary>A faster encoder preset (same names as <see cref="VideoSettings.Preset"/>).</summary>
    public string? Preset { get; init; }

    /// <summary>Encoder threads (fewer threads: less memory for frame buffers).</summary>
    public int? Threads { get; init; }

    /// <summary>Rate-control lookahead in frames (x264/x265 <c>rc-lookahead</c>, VP9 <c>lag-in-frames</c>): each buffered frame costs memory.</summary>
    public int? Lookahead { get; init; }

    /// <summary>Another codec: always refused (see <see cref="AdjustmentRules"/>); kept so a request for it gets a reason.</summary>
    public VideoCodec? Codec { get; init; }

    public bool IsEmpty => this == new VideoAdjustment();

    /// <summary>This adjustment with <paramref name="next"/>'s set members on top.</summary>
    public VideoAdjustment Then(VideoAdjustment next) => new()
    {
        MaxFrameRate = next.MaxFrameRate ?? MaxFrameRate,
        MaxHeight = next.MaxHeight ?? MaxHeight,
        Preset = next.Preset ?? Preset,
        Threads = next.Threads ?? Threads,
        Lookahead = next.Lookahead ?? Lookahead,
        Codec = next.Codec ?? Codec,
    };

    /// <summary>One line for events and manifests, e.g. <c>fps ≤ 15/1, height ≤ 360, preset veryfast</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (MaxFrameRate is { } fps) parts.Add($"fps ≤ {fps}");
        if (MaxHeight is { } height) parts.Add($"height ≤ {height}");
        if (Preset is { } preset) parts.Add($"preset {preset}");
        if (Threads is { } threads) parts.Add($"threads {threads}");
        if (Lookahead is { } lookahead) parts.Add($"lookahead {lookahead}");
        if (Codec is { } codec) parts.Add($"codec {CodecNames.Name(codec)}");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
