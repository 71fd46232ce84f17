namespace Sandbox.Worker.Interop;

/// <summary>An <c>AVFrame</c> allocated with <c>av_frame_alloc</c>.</summary>
internal sealed class FrameHandle : FFmpegHandle
{
    public static FrameHandle Allocate() => Adopt(new FrameHandle(), LibAVUtil.av_frame_alloc(), "av_frame_alloc");

    protected override bool ReleaseHandle()
    {
        LibAVUtil.av_frame_free(ref handle);
        return true;
    }
}
