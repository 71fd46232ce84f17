using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>Runs the FFmpeg version guard and reports a mismatch with its reason.</summary>
public static class LibraryCheck
{
    public static void EnsureSupported()
    {
        try
        {
            FFmpegVersionGuard.EnsureSupported();
        }
        catch (FFmpegVersionException e)
        {
            throw new TranscodeException(ErrorReason.FFMPEG_VERSION_MISMATCH, e.Message, e);
        }
    }
}
