namespace Sandbox.Worker.Engine;

/// <summary>The outcome of a completed transcode.</summary>
/// <param name="OutputPath">The final output file (renamed into place only after it was complete).</param>
/// <param name="InputFormat">The demuxer that read the input, e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c>.</param>
/// <param name="Progress">The final progress figures.</param>
/// <param name="Streams">One line per output stream, e.g. <c>video: h264 → libx264 1280x720 30/1</c>.</param>
/// <param name="SkippedPackets">Input packets the decoders rejected as corrupt and skipped.</param>
public sealed record TranscodeResult(string OutputPath, string InputFormat, TranscodeProgress Progress, IReadOnlyList<string> Streams, long SkippedPackets)
{
    /// <summary>For HLS: the segment files beside the playlist (<see cref="OutputPath"/>), in order.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];
}
