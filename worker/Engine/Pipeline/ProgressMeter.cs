namespace Sandbox.Worker.Engine;

/// <summary>Counts what the pipelines produce and reports it at a steady interval.</summary>
internal sealed class ProgressMeter(TimeProvider time, TimeSpan? inputDuration, IProgress<TranscodeProgress>? sink, TimeSpan interval)
{
    private readonly long _started = time.GetTimestamp();
    private long _lastReport = time.GetTimestamp();
    private long _resumedFrames;
    private TimeSpan _resumedTime;

    public long Frames { get; private set; }

    public TimeSpan OutputTime { get; private set; }

    /// <summary>What is durable so far, for a checkpointed transcode.</summary>
    public CheckpointProgress? Checkpoints { get; set; }

    /// <summary>The video the spec makes (set once the video encoder is planned), or null without video.</summary>
    public VideoFormat? Video { get; set; }

    public void OnVideoFrameEncoded() => Frames++;

    /// <summary>Starts the counts where a resumed transcode's durable chunks end.</summary>
    public void Resume(long frames, TimeSpan outputTime)
    {
        Frames = frames;
        OutputTime = outputTime;
        _resumedFrames = frames;
        _resumedTime = outputTime;
    }

    public void OnMediaWritten(TimeSpan end)
    {
        if (end > OutputTime)
        {
            OutputTime = end;
        }
    }

    /// <summary>Reports if the interval has passed since the last report.</summary>
    public void Tick()
    {
        if (sink is not null && time.GetElapsedTime(_lastReport) >= interval)
        {
            _lastReport = time.GetTimestamp();
            sink.Report(Snapshot());
        }
    }

    public TranscodeProgress Snapshot()
    {
        var elapsed = time.GetElapsedTime(_started);
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
        double? percent = inputDuration is { } d && d > TimeSpan.Zero
            ? Math.Min(100, 100 * OutputTime.TotalSeconds / d.TotalSeconds)
            : null;
        // Rates count this run's work only: frames and media time a resumed run took over are not its speed.
        return new TranscodeProgress(
            Frames, OutputTime, percent, (Frames - _resumedFrames) / seconds, (OutputTime - _resumedTime).TotalSeconds / seconds, elapsed, Checkpoints, Video);
    }
}
