namespace Sandbox.Worker.Interop;

/// <summary>
/// The FFmpeg shared objects this layer binds to: Debian 12's FFmpeg 5.1. The sonames carry the
/// major version, and the struct offsets in <see cref="Layout"/> are only valid for these majors.
/// </summary>
internal static class NativeLibraries
{
    public const string AVUtil = "libavutil.so.57";
    public const string AVCodec = "libavcodec.so.59";
    public const string AVFormat = "libavformat.so.59";
    public const string AVFilter = "libavfilter.so.8";
    public const string SwScale = "libswscale.so.6";
    public const string SwResample = "libswresample.so.4";
}
