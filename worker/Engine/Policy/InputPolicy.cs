using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// What the engine may read and write: the demuxers it may use, the decoder caps, and the roots
/// that input and output paths must stay under (empty = anywhere, for standalone use).
/// </summary>
public sealed record InputPolicy
{
    /// <summary>
    /// Demuxers allowed by default. HLS, DASH, concat, image2 and subfile are left out on purpose:
    /// they open further files or URLs named inside the input, which has leaked local files before
    /// (CVE-2016-1898, CVE-2017-9993).
    /// </summary>
    public static IReadOnlyList<string> DefaultFormats { get; } =
        ["mov", "mp4", "matroska", "webm", "mpegts", "flv", "avi", "ogg", "wav", "mp3", "aac", "flac", "h264", "hevc"];

    public static InputPolicy Default { get; } = new();

    public IReadOnlyList<string> AllowedFormats { get; init; } = DefaultFormats;

    public DecoderLimits Limits { get; init; } = DecoderLimits.Default;

    public IReadOnlyList<string> InputRoots { get; init; } = [];

    public IReadOnlyList<string> OutputRoots { get; init; } = [];

    /// <summary>
    /// A demuxer is allowed when any of its comma-separated names is on the list (FFmpeg names the
    /// mp4 demuxer <c>mov,mp4,m4a,3gp,3g2,mj2</c>).
    /// </summary>
    public bool AllowsFormat(string demuxerName) =>
        demuxerName.Split(',').Any(name => AllowedFormats.Contains(name, StringComparer.Ordinal));
}
