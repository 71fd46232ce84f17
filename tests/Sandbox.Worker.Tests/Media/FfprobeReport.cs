using System.Globalization;
using System.Text.Json;

namespace Sandbox.Worker.Tests.Media;

/// <summary>
/// What the ffprobe CLI says about a file. The tests judge the worker's output with FFmpeg's own
/// tool rather than with the worker's interop layer, so a bug there cannot hide itself.
/// </summary>
public sealed class FfprobeReport
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private FfprobeReport(string formatName, double? duration, double? startTime, IReadOnlyList<ProbedStream> streams)
    {
        FormatName = formatName;
        Duration = duration;
        StartTime = startTime;
        Streams = streams;
    }

    /// <summary>The demuxer's name, e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c> or <c>matroska,webm</c>.</summary>
    public string FormatName { get; }

    /// <summary>The container's duration in seconds.</summary>
    public double? Duration { get; }

    public double? StartTime { get; }

    public IReadOnlyList<ProbedStream> Streams { get; }

    public IEnumerable<ProbedStream> VideoStreams => Streams.Where(s => s.IsVideo);

    public IEnumerable<ProbedStream> AudioStreams => Streams.Where(s => s.IsAudio);

    /// <summary>The only video stream; fails if there is none or more than one.</summary>
    public ProbedStream Video => Assert.Single(VideoStreams);

    /// <summary>The only audio stream; fails if there is none or more than one.</summary>
    public ProbedStream Audio => Assert.Single(AudioStreams);

    /// <summary>
    /// Probes <paramref name="path"/>. With <paramref name="countFrames"/> ffprobe decodes the whole
    /// file to count frames, which works for containers that store no frame count (matroska, mpegts).
    /// </summary>
    public static async Task<FfprobeReport> ProbeAsync(string path, bool countFrames = false)
    {
        List<string> arguments = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams"];
        if (countFrames)
        {
            arguments.Add("-count_frames");
        }

        arguments.Add(path);
        var result = await ChildProcess.RunAsync("ffprobe", arguments, Timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffprobe failed on {path} (exit code {result.ExitCode}): {result.StandardError}");
        }

        using var document = JsonDocument.Parse(result.StandardOutput);
        var root = document.RootElement;
        var format = root.GetProperty("format");
        var streams = root.TryGetProperty("streams", out var list)
            ? list.EnumerateArray().Select(ReadStream).ToList()
            : [];
        return new FfprobeReport(
            format.GetProperty("format_name").GetString() ?? "",
            Number(format, "duration"),
            Number(format, "start_time"),
            streams);
    }

    private static ProbedStream ReadStream(JsonElement stream) =>
        new(
            stream.GetProperty("index").GetInt32(),
            Text(stream, "codec_type") ?? "",
            Text(stream, "codec_name") ?? "",
            Integer(stream, "width"),
            Integer(stream, "height"),
            MediaRational.TryParse(Text(stream, "avg_frame_rate")),
            MediaRational.TryParse(Text(stream, "r_frame_rate")),
            Number(stream, "start_time"),
            Number(stream, "duration"),
            // nb_read_frames exists only with -count_frames; nb_frames is the container's own count.
            (long?)(Number(stream, "nb_read_frames") ?? Number(stream, "nb_frames")),
            Integer(stream, "sample_rate"),
            Integer(stream, "channels"));

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ToString() : null;

    /// <summary>ffprobe prints most numbers as strings ("2.000000"), a few as JSON numbers; both are accepted.</summary>
    private static double? Number(JsonElement element, string name) =>
        double.TryParse(Text(element, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int? Integer(JsonElement element, string name) => (int?)Number(element, name);
}
