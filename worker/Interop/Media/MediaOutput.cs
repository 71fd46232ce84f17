namespace Sandbox.Worker.Interop;

/// <summary>An output file being muxed: add streams, open, write interleaved packets, finish.</summary>
public sealed class MediaOutput : IDisposable
{
    private readonly OutputContextHandle _context;
    private readonly string _path;
    private readonly InterruptGuard _interrupt;

    private MediaOutput(OutputContextHandle context, string path, InterruptGuard interrupt)
    {
        _context = context;
        _path = path;
        _interrupt = interrupt;
    }

    /// <summary>The muxer wants codec headers out of band (AVFMT_GLOBALHEADER), e.g. mp4 and matroska.</summary>
    public bool RequiresGlobalHeader =>
        (Field.Read<int>(Field.Read<nint>(Pointer, Layout.AVFormatContext.oformat), Layout.AVOutputFormat.flags) & LibAVFormat.AVFMT_GLOBALHEADER) != 0;

    private nint Pointer => _context.DangerousGetHandle();

    public static MediaOutput Create(string path, string muxerName, InterruptGuard interrupt)
    {
        FFmpegException.ThrowIfError(
            LibAVFormat.avformat_alloc_output_context2(out var context, nint.Zero, muxerName, path), $"avformat_alloc_output_context2({muxerName})");
        var handle = OutputContextHandle.Adopt(context);
        interrupt.Install(context + Layout.AVFormatContext.interrupt_callback);
        return new MediaOutput(handle, path, interrupt);
    }

    /// <summary>Adds a stream carrying what <paramref name="encoder"/> produces; returns its index.</summary>
    public int AddStream(Encoder encoder)
    {
        var stream = NewStream();
        FFmpegException.ThrowIfError(
            LibAVCodec.avcodec_parameters_from_context(Field.Read<nint>(stream, Layout.AVStream.codecpar), encoder.Context),
            "avcodec_parameters_from_context");
        Field.Write(stream, Layout.AVStream.time_base, encoder.TimeBase);
        return Field.Read<int>(stream, Layout.AVStream.index);
    }

    /// <summary>Adds a stream whose packets are copied unchanged from an input stream; returns its index.</summary>
    public int AddCopiedStream(MediaInput input, MediaStreamInfo source)
    {
        var stream = NewStream();
        var parameters = Field.Read<nint>(stream, Layout.AVStream.codecpar);
        FFmpegException.ThrowIfError(LibAVCodec.avcodec_parameters_copy(parameters, input.CodecParameters(source.Index)), "avcodec_parameters_copy");

        // The source container's codec tag may mean nothing in this one; let the muxer choose.
        Field.Write(parameters, Layout.AVCodecParameters.codec_tag, 0u);
        Field.Write(stream, Layout.AVStream.time_base, source.TimeBase);
        return Field.Read<int>(stream, Layout.AVStream.index);
    }

    /// <summary>Records the priming samples of an audio stream, so the muxer marks them to be skipped (mp4 edit list, Matroska CodecDelay).</summary>
    public void SetInitialPadding(int index, int samples) =>
        Field.Write(Field.Read<nint>(StreamPointer(index), Layout.AVStream.codecpar), Layout.AVCodecParameters.initial_padding, samples);

    /// <summary>Time base the muxer chose for a stream; valid after <see cref="Open"/>.</summary>
    public Rational StreamTimeBase(int index) => Field.Read<Rational>(StreamPointer(index), Layout.AVStream.time_base);

    /// <summary>Opens the file through the <c>file</c> protocol and writes the container header.</summary>
    public void Open(IEnumerable<KeyValuePair<string, string>> muxerOptions)
    {
        using (var ioOptions = DictionaryHandle.From([new("protocol_whitelist", "file")]))
        {
            FFmpegException.ThrowIfError(
                LibAVFormat.avio_open2(out var io, _path, LibAVFormat.AVIO_FLAG_WRITE, Pointer + Layout.AVFormatContext.interrupt_callback, ref ioOptions.Pointer),
                "avio_open2");
            Field.Write(Pointer, Layout.AVFormatContext.pb, io);
        }

        using var options = DictionaryHandle.From(muxerOptions);
        FFmpegException.ThrowIfError(LibAVFormat.avformat_write_header(_context, ref options.Pointer), "avformat_write_header");
    }

    /// <summary>Writes a packet whose timestamps are in the stream's time base; the muxer takes its contents.</summary>
    public void Write(Packet packet) =>
        FFmpegException.ThrowIfError(LibAVFormat.av_interleaved_write_frame(_context, packet.Handle.DangerousGetHandle()), "av_interleaved_write_frame");

    /// <summary>Flushes interleaving queues and writes the trailer (for mp4 with faststart, moves the index to the front).</summary>
    public void Finish()
    {
        FFmpegException.ThrowIfError(LibAVFormat.av_interleaved_write_frame(_context, nint.Zero), "av_interleaved_write_frame(flush)");
        FFmpegException.ThrowIfError(LibAVFormat.av_write_trailer(_context), "av_write_trailer");
    }

    public void Dispose()
    {
        _context.Dispose();
        GC.KeepAlive(_interrupt);
    }

    private nint StreamPointer(int index) => Field.Read<nint>(Field.Read<nint>(Pointer, Layout.AVFormatContext.streams), index * nint.Size);

    private nint NewStream()
    {
        var stream = LibAVFormat.avformat_new_stream(_context, nint.Zero);
        return stream == nint.Zero ? throw FFmpegException.OutOfMemory("avformat_new_stream") : stream;
    }
}
