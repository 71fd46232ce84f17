namespace Sandbox.Worker.Interop;

/// <summary>A compressed packet (<c>AVPacket</c>), reused across reads: each consumer unreferences it when done.</summary>
public sealed class Packet : IDisposable
{
    internal PacketHandle Handle { get; } = PacketHandle.Allocate();

    private nint Pointer => Handle.DangerousGetHandle();

    public int StreamIndex
    {
        get => Field.Read<int>(Pointer, Layout.AVPacket.stream_index);
        set => Field.Write(Pointer, Layout.AVPacket.stream_index, value);
    }

    /// <summary>Presentation timestamp in the owning stream's time base, or null when unknown.</summary>
    public long? Pts => Timestamp(Layout.AVPacket.pts);

    public long? Dts
    {
        get => Timestamp(Layout.AVPacket.dts);
        set => Field.Write(Pointer, Layout.AVPacket.dts, value ?? LibAVUtil.AV_NOPTS_VALUE);
    }

    /// <summary>Duration in the stream's time base; 0 when unknown.</summary>
    public long Duration
    {
        get => Field.Read<long>(Pointer, Layout.AVPacket.duration);
        set => Field.Write(Pointer, Layout.AVPacket.duration, value);
    }

    public int Size => Field.Read<int>(Pointer, Layout.AVPacket.size);

    /// <summary>The packet holds a keyframe (AV_PKT_FLAG_KEY).</summary>
    public bool IsKeyframe => (Field.Read<int>(Pointer, Layout.AVPacket.flags) & LibAVUtil.AV_PKT_FLAG_KEY) != 0;

    public void RescaleTimestamps(Rational from, Rational to) => LibAVCodec.av_packet_rescale_ts(Handle, from, to);

    /// <summary>Moves pts and dts by <paramref name="delta"/> ticks, leaving unknown timestamps unknown.</summary>
    public void Shift(long delta)
    {
        Shift(Layout.AVPacket.pts, delta);
        Shift(Layout.AVPacket.dts, delta);
    }

    public void Unref() => LibAVCodec.av_packet_unref(Handle);

    public void Dispose() => Handle.Dispose();

    private long? Timestamp(int offset)
    {
        var value = Field.Read<long>(Pointer, offset);
        return value == LibAVUtil.AV_NOPTS_VALUE ? null : value;
    }

    private void Shift(int offset, long delta)
    {
        var value = Field.Read<long>(Pointer, offset);
        if (value != LibAVUtil.AV_NOPTS_VALUE)
        {
            Field.Write(Pointer, offset, value + delta);
        }
    }
}
