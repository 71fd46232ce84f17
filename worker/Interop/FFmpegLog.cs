namespace Sandbox.Worker.Interop;

/// <summary>FFmpeg's own log (written to stderr by libavutil).</summary>
public static class FFmpegLog
{
    /// <summary>Only errors: the worker reports progress and failures itself, and x264/x265 chatter would drown them.</summary>
    public static void ErrorsOnly() => LibAVUtil.av_log_set_level(LibAVUtil.AV_LOG_ERROR);

    public static void Verbose() => LibAVUtil.av_log_set_level(LibAVUtil.AV_LOG_INFO);
}
