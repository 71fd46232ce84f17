namespace Sandbox.Worker.Interop;

/// <summary>A decoder for one input stream (send packets, receive frames).</summary>
public sealed class Decoder : IDisposable
{
    private readonly CodecContextHandle _context;

    private Decoder(CodecContextHandle context, MediaStreamInfo stream)
    {
        _context = context;
        Stream = stream;
    }

    public MediaStreamInfo Stream { get; }

    public int PixelFormat => Field.Read<int>(Pointer, Layout.AVCodecContext.pix_fmt);

    public int Width => Field.Read<int>(Pointer, Layout.AVCodecContext.width);

    public int Height => Field.Read<int>(Pointer, Layout.AVCodecContext.height);

    public int SampleFormat => Field.Read<int>(Pointer, Layout.AVCodecContext.sample_fmt);

    public int SampleRate => Field.Read<int>(Pointer, Layout.AVCodecContext.sample_rate);

    /// <summary>The channel layout in FFmpeg's textual form (e.g. <c>stereo</c>), as filters take it.</summary>
    public string ChannelLayout => ChannelLayouts.Describe(Pointer + Layout.AVCodecContext.ch_layout);

    private nint Pointer => _context.DangerousGetHandle();

    public static Decoder Open(MediaInput input, MediaStreamInfo stream, DecoderLimits limits)
    {
        var codec = LibAVCodec.avcodec_find_decoder(stream.CodecId);
        if (codec == nint.Zero)
        {
            throw new FFmpegException($"avcodec_find_decoder({stream.CodecName})", AVError.DecoderNotFound);
        }

        var context = CodecContextHandle.Allocate(codec);
        try
        {
            FFmpegException.ThrowIfError(
                LibAVCodec.avcodec_parameters_to_context(context, input.CodecParameters(stream.Index)), "avcodec_parameters_to_context");
            FFmpegException.ThrowIfError(
                LibAVUtil.av_opt_set_q(context.DangerousGetHandle(), "pkt_timebase", stream.TimeBase, 0), "av_opt_set(pkt_timebase)");

            // Frame threading as the ffmpeg CLI uses it ("auto"), plus the caller's caps.
            using var options = DictionaryHandle.From([new("threads", "auto"), .. limits.ToOptions()]);
            FFmpegException.ThrowIfError(LibAVCodec.avcodec_open2(context, codec, ref options.Pointer), $"avcodec_open2({stream.CodecName} decoder)");
            return new Decoder(context, stream);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends a packet, or the end of the stream when <paramref name="packet"/> is null. Returns false
    /// when the decoder rejected the packet as invalid data (the caller may skip it, as ffmpeg does).
    /// </summary>
    public bool Send(Packet? packet)
    {
        var result = LibAVCodec.avcodec_send_packet(_context, packet?.Handle.DangerousGetHandle() ?? nint.Zero);
        if (result == AVError.InvalidData)
        {
            return false;
        }

        if (result == AVError.EndOfFile && packet is null)
        {
            return true;
        }

        FFmpegException.ThrowIfError(result, $"avcodec_send_packet({Stream.CodecName})");
        return true;
    }

    /// <summary>Receives the next decoded frame; false when the decoder needs input or is drained.</summary>
    public bool TryReceive(Frame frame)
    {
        var result = LibAVCodec.avcodec_receive_frame(_context, frame.Handle);
        if (result is AVError.Again or AVError.EndOfFile)
        {
            return false;
        }

        FFmpegException.ThrowIfError(result, $"avcodec_receive_frame({Stream.CodecName})");
        return true;
    }

    public void Dispose() => _context.Dispose();
}
