using System.Globalization;
using System.Text.Json;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// What the ffprobe CLI says about a file. Outputs are judged with FFmpeg's own tool, never with the
/// code under test.
/// </summary>
public sealed record FfprobeReport(string FormatName, double? Duration, IReadOnlyList<ProbedStream> Streams)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The only video stream; fails if there is none or more than one.</summary>
    public ProbedStream Video => Assert.Single(Streams, s => s.CodecType == "video");

    /// <summary>The only audio stream; fails if there is none or more than one.</summary>
    public ProbedStream Audio => Assert.Single(Streams, s => s.CodecType == "audio");

    public static async Task<FfprobeReport> ProbeAsync(string path)
    {
        var result = await ChildProcess.RunAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path], Timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffprobe failed on {path} (exit code {result.ExitCode}): {result.StandardError}");
        }

        using var document = JsonDocument.Parse(result.StandardOutput);
        var root = document.RootElement;
        var format = root.GetProperty("format");
        var streams = root.TryGetProperty("streams", out var list)
            ? list.EnumerateArray().Select(s => new ProbedStream(Text(s, "codec_type") ?? "", Text(s, "codec_name") ?? "", Integer(s, "width"), Integer(s, "height"))).ToList()
            : [];
        return new FfprobeReport(Text(format, "format_name") ?? "", Number(format, "duration"), streams);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ToString() : null;

    /// <summary>ffprobe prints most numbers as strings ("2.000000"), a few as JSON numbers; both are accepted.</summary>
    private static double? Number(JsonElement element, string name) =>
        double.TryParse(Text(element, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int? Integer(JsonElement element, string name) => (int?)Number(element, name);
}
