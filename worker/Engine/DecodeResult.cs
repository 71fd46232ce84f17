namespace Sandbox.Worker.Engine;

/// <summary>What a decode-only run decoded and how long it took.</summary>
public sealed record DecodeResult(string InputFormat, long VideoFrames, long AudioSamples, TimeSpan? MediaDuration, TimeSpan Elapsed)
{
    public double FramesPerSecond => VideoFrames / Math.Max(Elapsed.TotalSeconds, 1e-6);

    public double Speed => (MediaDuration ?? TimeSpan.Zero).TotalSeconds / Math.Max(Elapsed.TotalSeconds, 1e-6);
}
