namespace Sandbox.Worker.Interop;

/// <summary>An <c>AVCodecContext</c> allocated with <c>avcodec_alloc_context3</c>.</summary>
internal sealed class CodecContextHandle : FFmpegHandle
{
    public static CodecContextHandle Allocate(nint codec) =>
        Adopt(new CodecContextHandle(), LibAVCodec.avcodec_alloc_context3(codec), "avcodec_alloc_context3");

    protected override bool ReleaseHandle()
    {
        LibAVCodec.avcodec_free_context(ref handle);
        return true;
    }
}
