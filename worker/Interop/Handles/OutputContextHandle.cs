namespace Sandbox.Worker.Interop;

/// <summary>An output <c>AVFormatContext</c>; releasing it closes its <c>AVIOContext</c> too.</summary>
internal sealed class OutputContextHandle : FFmpegHandle
{
    public static OutputContextHandle Adopt(nint allocated) => Adopt(new OutputContextHandle(), allocated, "avformat_alloc_output_context2");

    protected override unsafe bool ReleaseHandle()
    {
        LibAVFormat.avio_closep(ref *(nint*)(handle + Layout.AVFormatContext.pb));
        LibAVFormat.avformat_free_context(handle);
        return true;
    }
}
