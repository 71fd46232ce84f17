using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Maps input timestamps onto the output timeline. Like the ffmpeg CLI, the output starts where the
/// input file starts (its earliest stream), so an MPEG-TS input beginning at 1.4 s yields an output
/// beginning at 0 and the streams keep their relative offsets, which keeps them in sync.
/// </summary>
internal static class Timeline
{
    /// <summary>The file's start time expressed in the stream's time base: subtract it from every timestamp.</summary>
    public static long StartOffset(MediaInput input, MediaStreamInfo stream) =>
        Rational.Rescale(input.StartTimeMicroseconds, Rational.Microseconds, stream.TimeBase);
}
