namespace Sandbox.Worker.Interop;

/// <summary>An <c>AVPacket</c> allocated with <c>av_packet_alloc</c>.</summary>
internal sealed class PacketHandle : FFmpegHandle
{
    public static PacketHandle Allocate() => Adopt(new PacketHandle(), LibAVCodec.av_packet_alloc(), "av_packet_alloc");

    protected override bool ReleaseHandle()
    {
        LibAVCodec.av_packet_free(ref handle);
        return true;
    }
}
