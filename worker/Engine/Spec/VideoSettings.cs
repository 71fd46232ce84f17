using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>What the output video should be. Null members keep the input's value or the encoder's default.</summary>
public sealed record VideoSettings
{
    public VideoCodec Codec { get; init; } = VideoCodec.H264;

    /// <summary>Target bit rate in bits per second; null for constant quality (the encoder's CRF default).</summary>
    public long? BitRate { get; init; }

    public int? Crf { get; init; }

    /// <summary>Output width; 0 or null derives it from the height at the input's aspect ratio (both null: the input's size).</summary>
    public int? Width { get; init; }

    /// <summary>Output height; 0 or null derives it from the width at the input's aspect ratio (both null: the input's size).</summary>
    public int? Height { get; init; }

    public Rational? FrameRate { get; init; }

    /// <summary>Keyframe interval in frames.</summary>
    public int? Gop { get; init; }

    /// <summary>Encoder speed/quality preset: x264/x265 names, SVT-AV1 0–13, VP9 cpu-used 0–8.</summary>
    public string? Preset { get; init; }

    /// <summary>Encoder threads; 0 = as many as FFmpeg chooses.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// A hardware encoder to use instead of the codec's software one (<c>h264_nvenc</c>, <c>hevc_vaapi</c>…),
    /// chosen by the supervisor for a device it leased to this worker; null = software.
    /// </summary>
    public string? HardwareEncoder { get; init; }
}
