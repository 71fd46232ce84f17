using System.Diagnostics;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Cli;

/// <summary>
/// Test-only (<c>--fault KIND@FRAMES</c>, accepted only with <c>--allow-fault-injection</c>): the
/// worker dies once it has encoded that many video frames in this run (frames out of the encoder,
/// as progress counts them), by SIGKILL (<c>kill</c>) or
/// by a segfault inside FFmpeg (<c>segv</c>), so tests can interrupt a transcode at exact points.
/// </summary>
public sealed record InjectedFault(InjectedFault.Kind Death, long Frames)
{
    public enum Kind
    {
        Kill,
        Segv,
    }

    public static InjectedFault? Parse(string text)
    {
        var parts = text.Split('@');
        Kind? death = parts[0] switch
        {
            "kill" => Kind.Kill,
            "segv" => Kind.Segv,
            _ => null,
        };
        return parts.Length == 2 && death is { } d && long.TryParse(parts[1], out var frames) && frames >= 0 ? new InjectedFault(d, frames) : null;
    }

    /// <summary>Wraps a progress sink: every report is checked (the transcoder reports after each packet), a few are passed on.</summary>
    internal IProgress<TranscodeProgress> Watch(IProgress<TranscodeProgress> inner, TimeSpan interval)
    {
        var passed = Stopwatch.StartNew();
        var start = (long?)null;
        return new Progress(report =>
        {
            start ??= report.Frames;
            if (report.Frames - start >= Frames)
            {
                Console.Error.WriteLine($"fault: {Death.ToString().ToLowerInvariant()} after {Frames} encoded frames");
                Console.Error.Flush();
                Die();
            }

            if (passed.Elapsed >= interval)
            {
                passed.Restart();
                inner.Report(report);
            }
        });
    }

    private void Die()
    {
        if (Death == Kind.Segv)
        {
            NativeCrash.Segfault();
        }

        Process.GetCurrentProcess().Kill();
    }

    private sealed class Progress(Action<TranscodeProgress> report) : IProgress<TranscodeProgress>
    {
        public void Report(TranscodeProgress value) => report(value);
    }
}
