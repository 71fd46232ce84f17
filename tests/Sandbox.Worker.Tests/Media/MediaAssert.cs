using Xunit.Sdk;

namespace Sandbox.Worker.Tests.Media;

/// <summary>Assertions on probed media, with tolerances expressed in video frames (the unit a viewer notices).</summary>
public static class MediaAssert
{
    /// <summary>Both the nominal (r_frame_rate) and the measured (avg_frame_rate) rate are within 1% of <paramref name="expected"/>.</summary>
    public static void FrameRate(double expected, ProbedStream video)
    {
        foreach (var (name, rate) in new[] { ("r_frame_rate", video.RealFrameRate), ("avg_frame_rate", video.AverageFrameRate) })
        {
            if (rate is not { } value || Math.Abs(value.Value - expected) > expected / 100)
            {
                throw FailException.ForFailure($"{name} is {rate?.ToString() ?? "unknown"}, expected {expected} fps");
            }
        }
    }

    /// <summary>The stream has <paramref name="expected"/> frames, give or take one (rate conversion may round either way).</summary>
    public static void FrameCountWithinOne(long? expected, ProbedStream video)
    {
        if (expected is not { } count || video.FrameCount is not { } actual || Math.Abs(actual - count) > 1)
        {
            throw FailException.ForFailure($"the video has {video.FrameCount?.ToString() ?? "an unknown number of"} frames, expected {expected} ± 1");
        }
    }

    /// <summary>The container's duration is within one frame of <paramref name="expectedSeconds"/>.</summary>
    public static void DurationWithinOneFrame(double expectedSeconds, FfprobeReport output, double frameRate)
    {
        var tolerance = 1 / frameRate;
        if (output.Duration is not { } actual || Math.Abs(actual - expectedSeconds) > tolerance)
        {
            throw FailException.ForFailure(
                $"duration is {output.Duration?.ToString("0.######") ?? "unknown"} s, expected {expectedSeconds:0.######} s ± {tolerance:0.###} s (one frame)");
        }
    }

    /// <summary>The first audio and first video timestamps are within one frame of each other (no A/V offset).</summary>
    public static void StartTimesAligned(FfprobeReport output, double frameRate)
    {
        var tolerance = 1 / frameRate;
        var (video, audio) = (output.Video.StartTime, output.Audio.StartTime);
        if (video is not { } v || audio is not { } a || Math.Abs(v - a) > tolerance)
        {
            throw FailException.ForFailure($"video starts at {video?.ToString("0.######") ?? "?"} s and audio at {audio?.ToString("0.######") ?? "?"} s: more than one frame ({tolerance:0.###} s) apart");
        }
    }

    /// <summary>Every stream, and the container, start within one frame of zero.</summary>
    public static void StartsNearZero(FfprobeReport output, double frameRate)
    {
        var tolerance = 1 / frameRate;
        foreach (var (name, start) in output.Streams.Select(s => ($"stream {s.Index} ({s.CodecType})", s.StartTime)).Prepend(("container", output.StartTime)))
        {
            if (start is not { } value || Math.Abs(value) > tolerance)
            {
                throw FailException.ForFailure($"{name} starts at {start?.ToString("0.######") ?? "unknown"} s, expected within {tolerance:0.###} s of 0");
            }
        }
    }
}
