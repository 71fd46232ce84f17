namespace Sandbox.Worker.Engine;

/// <summary>
/// Which codecs each output container may carry, its muxer and its defaults. The table is
/// deliberately narrower than FFmpeg's: a pair is listed only when players handle it well, and a
/// test checks that FFmpeg agrees with every listed pair (<c>avformat_query_codec</c>).
/// </summary>
public static class ContainerRules
{
    public static string MuxerName(OutputContainer container) => container switch
    {
        OutputContainer.Mp4 => "mp4",
        OutputContainer.WebM => "webm",
        OutputContainer.Matroska => "matroska",
        OutputContainer.MpegTs or OutputContainer.Hls => "mpegts",
        _ => throw new ArgumentOutOfRangeException(nameof(container)),
    };

    public static IReadOnlyList<VideoCodec> VideoCodecs(OutputContainer container) => container switch
    {
        OutputContainer.Mp4 or OutputContainer.Matroska => [VideoCodec.H264, VideoCodec.Hevc, VideoCodec.Vp9, VideoCodec.Av1],
        OutputContainer.WebM => [VideoCodec.Vp9, VideoCodec.Av1],
        OutputContainer.MpegTs or OutputContainer.Hls => [VideoCodec.H264, VideoCodec.Hevc],
        _ => [],
    };

    public static IReadOnlyList<AudioCodec> AudioCodecs(OutputContainer container) => container switch
    {
        OutputContainer.WebM => [AudioCodec.Opus],
        _ => [AudioCodec.Aac, AudioCodec.Opus],
    };

    public static VideoCodec DefaultVideoCodec(OutputContainer container) => VideoCodecs(container)[0];

    public static AudioCodec DefaultAudioCodec(OutputContainer container) => AudioCodecs(container)[0];

    /// <summary>Muxer options: mp4 gets its index moved to the front (faststart) so it streams progressively.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> MuxerOptions(OutputContainer container) => container switch
    {
        OutputContainer.Mp4 => [new("movflags", "+faststart")],

        // Each HLS segment is muxed on its own: shifting one segment's early (negative) timestamps
        // would make it overlap the next, so every segment keeps the presentation's own timeline.
        OutputContainer.Hls => [new("avoid_negative_ts", "disabled")],
        _ => [],
    };

    /// <summary>The container a file name implies (<c>.mp4 .m4v .webm .mkv .ts .m3u8</c>), or null.</summary>
    public static OutputContainer? FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mp4" or ".m4v" => OutputContainer.Mp4,
        ".webm" => OutputContainer.WebM,
        ".mkv" => OutputContainer.Matroska,
        ".ts" or ".m2ts" => OutputContainer.MpegTs,
        ".m3u8" => OutputContainer.Hls,
        _ => null,
    };

    /// <summary>Parses the names used on command lines and in specs: mp4, webm, mkv/matroska, mpegts/ts, hls.</summary>
    public static OutputContainer? Parse(string name) => name.ToLowerInvariant() switch
    {
        "mp4" => OutputContainer.Mp4,
        "webm" => OutputContainer.WebM,
        "mkv" or "matroska" => OutputContainer.Matroska,
        "mpegts" or "ts" => OutputContainer.MpegTs,
        "hls" => OutputContainer.Hls,
        _ => null,
    };

    public static string Name(OutputContainer container) => container switch
    {
        OutputContainer.Matroska => "mkv",
        OutputContainer.Hls => "hls",
        _ => MuxerName(container),
    };
}
