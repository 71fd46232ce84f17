using Sandbox.Worker.Engine;

namespace Sandbox.Worker.Cli;

/// <summary>Human output on stderr: a progress line that rewrites itself on a terminal, then a summary.</summary>
internal sealed class ConsoleReporter(TextWriter error) : IReporter
{
    private readonly bool _terminal = !Console.IsErrorRedirected;

    public void Report(TranscodeProgress value)
    {
        var percent = value.Percent is { } p ? $"{p,5:0.0}%" : "    ?%";
        var line = $"{percent}  {value.OutputTime:hh\\:mm\\:ss\\.ff}  frames {value.Frames}  {value.FramesPerSecond:0.0} fps  {value.Speed:0.00}x";
        error.Write(_terminal ? $"\r{line}   " : line + Environment.NewLine);
    }

    public void Completed(TranscodeResult result)
    {
        if (_terminal)
        {
            error.WriteLine();
        }

        var progress = result.Progress;
        error.WriteLine($"done: {result.OutputPath}");
        error.WriteLine($"  input format {result.InputFormat}");
        foreach (var stream in result.Streams)
        {
            error.WriteLine($"  {stream}");
        }

        error.WriteLine($"  {progress.Frames} frames, {progress.OutputTime:hh\\:mm\\:ss\\.ff} of media in {progress.Elapsed.TotalSeconds:0.00} s ({progress.Speed:0.00}x real time)");
        if (result.SkippedPackets > 0)
        {
            error.WriteLine($"  warning: {result.SkippedPackets} corrupt input packets were skipped");
        }
    }

    public void Decoded(DecodeResult result) =>
        error.WriteLine(
            $"decoded {result.InputFormat}: {result.VideoFrames} video frames, {result.AudioSamples} audio samples in {result.Elapsed.TotalSeconds:0.00} s ({result.FramesPerSecond:0.0} fps, {result.Speed:0.00}x real time)");

    public void Failed(TranscodeException failure)
    {
        if (_terminal)
        {
            error.WriteLine();
        }

        error.WriteLine($"error: {failure.Reason}: {failure.Message}");
        foreach (var violation in failure.Violations)
        {
            error.WriteLine($"  {violation.Field}: {violation.Description}");
        }
    }
}
