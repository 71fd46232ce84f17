namespace Sandbox.Worker.Engine;

/// <summary>The names a codec goes by: on the command line, as FFmpeg's codec, and as the FFmpeg encoder used.</summary>
public static class CodecNames
{
    public static string Name(VideoCodec codec) => codec.ToString().ToLowerInvariant();

    public static string Name(AudioCodec codec) => codec.ToString().ToLowerInvariant();

    public static VideoCodec? ParseVideo(string name) => name.ToLowerInvariant() switch
    {
        "h264" or "avc" => VideoCodec.H264,
        "hevc" or "h265" => VideoCodec.Hevc,
        "vp9" => VideoCodec.Vp9,
        "av1" => VideoCodec.Av1,
        "copy" => VideoCodec.Copy,
        _ => null,
    };

    public static AudioCodec? ParseAudio(string name) => name.ToLowerInvariant() switch
    {
        "aac" => AudioCodec.Aac,
        "opus" => AudioCodec.Opus,
        "copy" => AudioCodec.Copy,
        _ => null,
    };

    public static string Encoder(VideoCodec codec) => codec switch
    {
        VideoCodec.H264 => "libx264",
        VideoCodec.Hevc => "libx265",
        VideoCodec.Vp9 => "libvpx-vp9",
        VideoCodec.Av1 => "libsvtav1",
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "copy has no encoder"),
    };

    /// <summary>The hardware encoders a supervisor may choose for a leased GPU (capabilities reports whether this build has them).</summary>
    public static IReadOnlyList<string> HardwareEncoders { get; } = ["h264_nvenc", "hevc_nvenc", "h264_vaapi", "hevc_vaapi", "vp9_vaapi"];

    public static string Encoder(AudioCodec codec) => codec switch
    {
        AudioCodec.Aac => "aac",
        AudioCodec.Opus => "libopus",
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "copy has no encoder"),
    };
}
