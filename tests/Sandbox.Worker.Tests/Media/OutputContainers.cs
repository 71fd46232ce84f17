namespace Sandbox.Worker.Tests.Media;

/// <summary>The worker's output containers: the file extension each maps to and the name ffprobe's demuxer reports.</summary>
public static class OutputContainers
{
    public static string Extension(string container) => container switch
    {
        "mp4" => ".mp4",
        "webm" => ".webm",
        "mkv" => ".mkv",
        "mpegts" => ".ts",
        _ => throw new ArgumentOutOfRangeException(nameof(container), container, "not a worker container"),
    };

    /// <summary>One of the comma-separated names in ffprobe's <c>format_name</c> for a file in <paramref name="container"/>.</summary>
    public static string DemuxerName(string container) => container switch
    {
        "mkv" => "matroska",
        _ => container,
    };
}
