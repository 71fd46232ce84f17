namespace Sandbox.Worker.Engine;

/// <summary>A progress report of a running transcode.</summary>
/// <param name="Frames">Video frames encoded so far.</param>
/// <param name="OutputTime">Media time written to the output so far.</param>
/// <param name="Percent">Share of the input's duration done (0–100), or null when the duration is unknown.</param>
/// <param name="FramesPerSecond">Average encoding rate in video frames per wall-clock second.</param>
/// <param name="Speed">Media time produced per wall-clock time (2.0 = twice real time).</param>
/// <param name="Elapsed">Wall-clock time since the transcode started.</param>
/// <param name="Checkpoints">For a checkpointed transcode: what is durable so far.</param>
public sealed record TranscodeProgress(
    long Frames, TimeSpan OutputTime, double? Percent, double FramesPerSecond, double Speed, TimeSpan Elapsed, CheckpointProgress? Checkpoints = null, VideoFormat? Video = null);

/// <summary>The video the spec makes of the input, before any adjustment: what a memory governor scales down from.</summary>
public sealed record VideoFormat(int Width, int Height, Interop.Rational FrameRate);

/// <summary>The durable part of a checkpointed transcode.</summary>
/// <param name="Chunks">Chunks on disk and in the manifest.</param>
/// <param name="DurableTime">Media time they cover: what a crash can no longer take away.</param>
/// <param name="ResumedFrom">Where this run continued a previous one, or null when it started from zero.</param>
/// <param name="Repaired">What damaged checkpoints were found and redone, or null.</param>
/// <param name="StartToFirstFrame">From the worker process's start to the first frame this run encoded (for a resumed run: the resume latency).</param>
public sealed record CheckpointProgress(int Chunks, TimeSpan DurableTime, TimeSpan? ResumedFrom, string? Repaired = null, TimeSpan? StartToFirstFrame = null);
