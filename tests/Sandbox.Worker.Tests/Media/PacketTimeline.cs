namespace Sandbox.Worker.Tests.Media;

/// <summary>
/// Every packet of an output as ffprobe lists it (pts, dts, duration per stream, in order), and what
/// FFmpeg says when it decodes the whole file. Two outputs with equal timelines have the same frames
/// at the same times: nothing duplicated, nothing missing, audio and video equally placed.
/// </summary>
public sealed record PacketTimeline(IReadOnlyList<string> Video, IReadOnlyList<string> Audio)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static async Task<PacketTimeline> ReadAsync(string path)
    {
        var result = await ChildProcess.RunAsync(
            "ffprobe", ["-v", "error", "-show_entries", "packet=codec_type,pts,dts,duration", "-of", "csv=p=0", path], Timeout);
        Assert.True(result.ExitCode == 0, $"ffprobe failed on {path}: {result.StandardError}");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new PacketTimeline(
            [.. lines.Where(l => l.StartsWith("video,", StringComparison.Ordinal))],
            [.. lines.Where(l => l.StartsWith("audio,", StringComparison.Ordinal))]);
    }

    /// <summary>What <c>ffmpeg -v error -i PATH -f null -</c> prints: empty for a file that decodes cleanly end to end.</summary>
    public static async Task<string> DecodeErrorsAsync(string path)
    {
        var result = await ChildProcess.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"], Timeout);
        return result.ExitCode == 0 ? result.StandardError.Trim() : $"exit code {result.ExitCode}: {result.StandardError}";
    }
}
