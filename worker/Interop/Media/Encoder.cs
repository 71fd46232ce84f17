namespace Sandbox.Worker.Interop;

/// <summary>An opened encoder (send frames, receive packets).</summary>
public sealed class Encoder : IDisposable
{
    private readonly CodecContextHandle _context;

    private Encoder(CodecContextHandle context, CodecInfo codec)
    {
        _context = context;
        Codec = codec;
    }

    public CodecInfo Codec { get; }

    public Rational TimeBase => Field.Read<Rational>(Pointer, Layout.AVCodecContext.time_base);

    /// <summary>Samples per audio frame the encoder requires (0 when any size goes).</summary>
    public int FrameSize => Field.Read<int>(Pointer, Layout.AVCodecContext.frame_size);

    /// <summary>The frame rate the video encoder was opened with (0/0 for audio).</summary>
    public Rational FrameRate => Field.Read<Rational>(Pointer, Layout.AVCodecContext.framerate);

    /// <summary>
    /// One video frame's duration in the encoder's time base, from the rate it was opened with (at
    /// least 1); 0 for audio. Video encoders leave packet durations unset, and without them the
    /// last frame has no length.
    /// </summary>
    public long FrameDuration => Codec.Kind == MediaKind.Video && FrameRate.IsValid
        ? Math.Max(1, Rational.Rescale(1, FrameRate.Invert(), TimeBase))
        : 0;

    /// <summary>Priming samples the encoder emits before the first real one (AAC 1024, Opus 312); 0 for video.</summary>
    public int InitialPadding => Field.Read<int>(Pointer, Layout.AVCodecContext.initial_padding);

    internal CodecContextHandle Context => _context;

    private nint Pointer => _context.DangerousGetHandle();

    public static Encoder Open(EncoderSettings settings)
    {
        var codec = settings.Codec;
        var context = CodecContextHandle.Allocate(codec.Pointer);
        try
        {
            var pointer = context.DangerousGetHandle();
            Set(pointer, "time_base", settings.TimeBase);
            if (codec.Kind == MediaKind.Video)
            {
                Set(pointer, "video_size", $"{settings.Width}x{settings.Height}");
                Set(pointer, "pixel_format", CodecInfo.PixelFormatName(settings.PixelFormat));
                Field.Write(pointer, Layout.AVCodecContext.framerate, settings.FrameRate);
                if (settings.SampleAspectRatio.IsValid)
                {
                    Set(pointer, "aspect", settings.SampleAspectRatio);
                }
            }
            else
            {
                Set(pointer, "ar", settings.SampleRate.ToString());
                Set(pointer, "ch_layout", settings.ChannelLayout ?? "stereo");
                Field.Write(pointer, Layout.AVCodecContext.sample_fmt, settings.SampleFormat);
            }

            if (settings.BitRate is { } bitRate)
            {
                Set(pointer, "b", bitRate.ToString());
            }

            if (settings.GopSize is { } gop)
            {
                Set(pointer, "g", gop.ToString());
            }

            Set(pointer, "threads", settings.Threads == 0 ? "auto" : settings.Threads.ToString());
            if (settings.GlobalHeader)
            {
                Set(pointer, "flags", "+global_header");
            }

            foreach (var (name, value) in settings.CodecOptions)
            {
                Set(pointer, name, value);
            }

            nint none = 0;
            FFmpegException.ThrowIfError(LibAVCodec.avcodec_open2(context, codec.Pointer, ref none), $"avcodec_open2({codec.Name})");
            return new Encoder(context, codec);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Sends a frame, or the end of the stream when <paramref name="frame"/> is null.</summary>
    public void Send(Frame? frame)
    {
        var result = LibAVCodec.avcodec_send_frame(_context, frame?.Handle.DangerousGetHandle() ?? nint.Zero);
        if (result == AVError.EndOfFile && frame is null)
        {
            return;
        }

        FFmpegException.ThrowIfError(result, $"avcodec_send_frame({Codec.Name})");
    }

    /// <summary>Receives the next encoded packet; false when the encoder needs input or is drained.</summary>
    public bool TryReceive(Packet packet)
    {
        var result = LibAVCodec.avcodec_receive_packet(_context, packet.Handle);
        if (result is AVError.Again or AVError.EndOfFile)
        {
            return false;
        }

        FFmpegException.ThrowIfError(result, $"avcodec_receive_packet({Codec.Name})");
        return true;
    }

    public void Dispose() => _context.Dispose();

    private static void Set(nint context, string name, string value) =>
        FFmpegException.ThrowIfError(
            LibAVUtil.av_opt_set(context, name, value, LibAVUtil.AV_OPT_SEARCH_CHILDREN), $"av_opt_set({name}={value})");

    private static void Set(nint context, string name, Rational value) =>
        FFmpegException.ThrowIfError(
            LibAVUtil.av_opt_set_q(context, name, value, LibAVUtil.AV_OPT_SEARCH_CHILDREN), $"av_opt_set({name}={value})");
}
