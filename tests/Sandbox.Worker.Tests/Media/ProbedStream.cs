namespace Sandbox.Worker.Tests.Media;

/// <summary>The fields of one ffprobe stream the tests check. Absent or unknown values are null.</summary>
public sealed record ProbedStream(
    int Index,
    string CodecType,
    string CodecName,
    int? Width,
    int? Height,
    MediaRational? AverageFrameRate,
    MediaRational? RealFrameRate,
    double? StartTime,
    double? Duration,
    long? FrameCount,
    int? SampleRate,
    int? Channels)
{
    public bool IsVideo => CodecType == "video";

    public bool IsAudio => CodecType == "audio";
}
