namespace Sandbox.Tests.Shared;

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
        var result = await ProbeAsync(path, "packet=codec_type,pts,dts,duration");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new PacketTimeline(
            [.. lines.Where(l => l.StartsWith("video,", StringComparison.Ordinal))],
            [.. lines.Where(l => l.StartsWith("audio,", StringComparison.Ordinal))]);
    }

    /// <summary>The size of every decoded video frame, in order (a resolution step shows as a change of size).</summary>
    public static async Task<List<(int Width, int Height)>> FrameSizesAsync(string path)
    {
        var result = await ProbeAsync(path, "frame=width,height", "-select_streams", "v");
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',')).Select(f => (int.Parse(f[0]), int.Parse(f[1])))];
    }

    /// <summary>What <c>ffmpeg -v error -i PATH -f null -</c> prints: empty for a file that decodes cleanly end to end.</summary>
    public static async Task<string> DecodeErrorsAsync(string path)
    {
        var result = await ChildProcess.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"], Timeout);
        return result.ExitCode == 0 ? result.StandardError.Trim() : $"exit code {result.ExitCode}: {result.StandardError}";
    }

    private static async Task<ChildProcessResult> ProbeAsync(string path, string entries, params string[] options)
    {
        var result = await ChildProcess.RunAsync("ffprobe", ["-v", "error", .. options, "-show_entries", entries, "-of", "csv=p=0", path], Timeout);
        return result.ExitCode == 0 ? result : throw new InvalidOperationException($"ffprobe failed on {path}: {result.StandardError}");
    }
}
