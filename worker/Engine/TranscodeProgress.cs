namespace Sandbox.Worker.Engine;

/// <summary>A progress report of a running transcode.</summary>
/// <param name="Frames">Video frames encoded so far.</param>
/// <param name="OutputTime">Media time written to the output so far.</param>
/// <param name="Percent">Share of the input's duration done (0–100), or null when the duration is unknown.</param>
/// <param name="FramesPerSecond">Average encoding rate in video frames per wall-clock second.</param>
/// <param name="Speed">Media time produced per wall-clock time (2.0 = twice real time).</param>
/// <param name="Elapsed">Wall-clock time since the transcode started.</param>
public sealed record TranscodeProgress(long Frames, TimeSpan OutputTime, double? Percent, double FramesPerSecond, double Speed, TimeSpan Elapsed);
