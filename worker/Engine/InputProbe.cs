namespace Sandbox.Worker.Engine;

/// <summary>
/// What a transcode will decode and encode, learned by opening the input without decoding it:
/// the supervisor's admission control estimates the session's memory from it.
/// </summary>
/// <param name="Input">The input's video (its best video stream), or null when the input has none or the spec drops video.</param>
/// <param name="InputCodec">The input video's codec (FFmpeg's name, e.g. <c>h264</c>); empty without video.</param>
/// <param name="Output">The video the spec makes of it, before any adjustment (the size a scale leads to, the frame rate).</param>
/// <param name="Duration">The input's duration, when the container says.</param>
public sealed record InputProbe(VideoFormat? Input, string InputCodec, VideoFormat? Output, TimeSpan? Duration);
