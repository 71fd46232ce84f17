namespace Sandbox.Worker.Interop;

/// <summary>Channel layouts (<c>AVChannelLayout</c>) in the textual form filters and options take.</summary>
public static class ChannelLayouts
{
    /// <summary>FFmpeg's default layout for a channel count, e.g. 2 → <c>stereo</c>.</summary>
    public static unsafe string Default(int channels)
    {
        var layout = stackalloc byte[Layout.AVChannelLayout.SizeOf];
        LibAVUtil.av_channel_layout_default(layout, channels);
        try
        {
            return Describe((nint)layout);
        }
        finally
        {
            LibAVUtil.av_channel_layout_uninit(layout);
        }
    }

    internal static unsafe string Describe(nint layout)
    {
        const int capacity = 128;
        var buffer = stackalloc byte[capacity];
        FFmpegException.ThrowIfError(LibAVUtil.av_channel_layout_describe((byte*)layout, buffer, capacity), "av_channel_layout_describe");
        return new string((sbyte*)buffer);
    }
}
