namespace Sandbox.Worker.Interop;

/// <summary>
/// An opened input file (demuxer). It is opened through the <c>file</c> protocol only, with the one
/// demuxer the caller chose (see <see cref="ContentProbe"/>), so a playlist or concat list inside
/// cannot make libavformat open other files or URLs.
/// </summary>
public sealed class MediaInput : IDisposable
{
    private readonly InputContextHandle _context;

    private MediaInput(InputContextHandle context, string formatName, IReadOnlyList<MediaStreamInfo> streams)
    {
        _context = context;
        FormatName = formatName;
        Streams = streams;
    }

    public string FormatName { get; }

    public IReadOnlyList<MediaStreamInfo> Streams { get; }

    /// <summary>Start of the file's timeline in AV_TIME_BASE (microsecond) ticks; 0 when unknown.</summary>
    public long StartTimeMicroseconds
    {
        get
        {
            var start = Field.Read<long>(Pointer, Layout.AVFormatContext.start_time);
            return start == LibAVUtil.AV_NOPTS_VALUE ? 0 : start;
        }
    }

    /// <summary>Duration of the file, or null when the demuxer cannot tell.</summary>
    public TimeSpan? Duration
    {
        get
        {
            var duration = Field.Read<long>(Pointer, Layout.AVFormatContext.duration);
            return duration is LibAVUtil.AV_NOPTS_VALUE or <= 0 ? null : TimeSpan.FromMicroseconds(duration);
        }
    }

    private nint Pointer => _context.DangerousGetHandle();

    public static unsafe MediaInput Open(string path, string formatName, DecoderLimits limits, InterruptGuard interrupt)
    {
        var format = LibAVFormat.av_find_input_format(formatName);
        if (format == nint.Zero)
        {
            throw new FFmpegException($"av_find_input_format({formatName})", AVError.DemuxerNotFound);
        }

        var context = LibAVFormat.avformat_alloc_context();
        if (context == nint.Zero)
        {
            throw FFmpegException.OutOfMemory("avformat_alloc_context");
        }

        interrupt.Install(context + Layout.AVFormatContext.interrupt_callback);
        using var options = DictionaryHandle.From(
        [
            new("protocol_whitelist", "file"),
            new("format_whitelist", formatName),
        ]);

        // On failure avformat_open_input frees the context and nulls the pointer.
        FFmpegException.ThrowIfError(
            LibAVFormat.avformat_open_input(ref context, path, format, ref options.Pointer), $"avformat_open_input({formatName})");
        var handle = InputContextHandle.Adopt(context);
        try
        {
            // Refuse oversized pictures from the container header already, before any decoder
            // (including the probing ones of avformat_find_stream_info) tries to allocate them.
            EnsureWithinLimits(ReadStreams(handle), limits);
            FindStreamInfo(handle, limits);
            var streams = ReadStreams(handle);
            EnsureWithinLimits(streams, limits);
            return new MediaInput(handle, formatName, streams);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next packet; false at the end of the input.</summary>
    public bool TryReadPacket(Packet packet)
    {
        var result = LibAVFormat.av_read_frame(_context, packet.Handle);
        if (result == AVError.EndOfFile)
        {
            return false;
        }

        FFmpegException.ThrowIfError(result, "av_read_frame");
        return true;
    }

    /// <summary>
    /// Positions the demuxer at the last keyframe at or before <paramref name="position"/>, counted from
    /// the file's start (as the output timeline is), so decoding from there reaches that point cleanly.
    /// </summary>
    public void SeekBefore(TimeSpan position)
    {
        var target = StartTimeMicroseconds + (long)position.TotalMicroseconds;
        FFmpegException.ThrowIfError(LibAVFormat.avformat_seek_file(_context, -1, long.MinValue, target, target, 0), "avformat_seek_file");
    }

    /// <summary>The stream FFmpeg considers best of a kind (<c>av_find_best_stream</c>), or null.</summary>
    public MediaStreamInfo? BestStream(MediaKind kind)
    {
        var type = kind == MediaKind.Video ? LibAVUtil.AVMEDIA_TYPE_VIDEO : LibAVUtil.AVMEDIA_TYPE_AUDIO;
        var index = LibAVFormat.av_find_best_stream(_context, type, -1, -1, nint.Zero, 0);
        return index >= 0 ? Streams[index] : null;
    }

    public void Dispose() => _context.Dispose();

    internal nint StreamPointer(int index) => StreamPointer(Pointer, index);

    internal nint CodecParameters(int index) => Field.Read<nint>(StreamPointer(index), Layout.AVStream.codecpar);

    private static nint StreamPointer(nint context, int index) =>
        Field.Read<nint>(Field.Read<nint>(context, Layout.AVFormatContext.streams), index * nint.Size);

    private static void EnsureWithinLimits(IEnumerable<MediaStreamInfo> streams, DecoderLimits limits)
    {
        foreach (var stream in streams)
        {
            if (stream.Kind == MediaKind.Video && (long)stream.Width * stream.Height > limits.MaxPixels)
            {
                throw new PictureTooLargeException(stream.Index, stream.Width, stream.Height, limits.MaxPixels);
            }
        }
    }

    private static unsafe void FindStreamInfo(InputContextHandle handle, DecoderLimits limits)
    {
        var count = Field.Read<int>(handle.DangerousGetHandle(), Layout.AVFormatContext.nb_streams);
        var perStream = new DictionaryHandle[count];
        var pointers = new nint[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                perStream[i] = DictionaryHandle.From(limits.ToOptions());
                pointers[i] = perStream[i].Pointer;
            }

            fixed (nint* options = pointers)
            {
                FFmpegException.ThrowIfError(LibAVFormat.avformat_find_stream_info(handle, options), "avformat_find_stream_info");
            }
        }
        finally
        {
            // FFmpeg replaces the dictionaries it consumed; free what it left, exactly once.
            for (var i = 0; i < count && perStream[i] is not null; i++)
            {
                perStream[i].Pointer = pointers[i];
                perStream[i].Dispose();
            }
        }
    }

    private static List<MediaStreamInfo> ReadStreams(InputContextHandle handle)
    {
        var context = handle.DangerousGetHandle();
        var count = Field.Read<int>(context, Layout.AVFormatContext.nb_streams);
        var streams = new List<MediaStreamInfo>(count);
        for (var i = 0; i < count; i++)
        {
            var stream = StreamPointer(context, i);
            var parameters = Field.Read<nint>(stream, Layout.AVStream.codecpar);
            var codecId = Field.Read<int>(parameters, Layout.AVCodecParameters.codec_id);
            var kind = Field.Read<int>(parameters, Layout.AVCodecParameters.codec_type) switch
            {
                LibAVUtil.AVMEDIA_TYPE_VIDEO => MediaKind.Video,
                LibAVUtil.AVMEDIA_TYPE_AUDIO => MediaKind.Audio,
                _ => MediaKind.Other,
            };
            streams.Add(new MediaStreamInfo
            {
                Index = i,
                Kind = kind,
                CodecId = codecId,
                CodecName = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(LibAVCodec.avcodec_get_name(codecId)) ?? "unknown",
                TimeBase = Field.Read<Rational>(stream, Layout.AVStream.time_base),
                StartTime = NullIfUnknown(Field.Read<long>(stream, Layout.AVStream.start_time)),
                Duration = NullIfUnknown(Field.Read<long>(stream, Layout.AVStream.duration)),
                Width = Field.Read<int>(parameters, Layout.AVCodecParameters.width),
                Height = Field.Read<int>(parameters, Layout.AVCodecParameters.height),
                FrameRate = kind == MediaKind.Video ? LibAVFormat.av_guess_frame_rate(handle, stream, nint.Zero) : Rational.Zero,
                SampleRate = Field.Read<int>(parameters, Layout.AVCodecParameters.sample_rate),
                Channels = Field.Read<int>(parameters, Layout.AVCodecParameters.ch_layout + Layout.AVChannelLayout.nb_channels),
                IsAttachedPicture = (Field.Read<int>(stream, Layout.AVStream.disposition) & AttachedPicture) != 0,
            });
        }

        return streams;
    }

    internal const int AttachedPicture = 0x0400;

    private static long? NullIfUnknown(long value) => value == LibAVUtil.AV_NOPTS_VALUE ? null : value;
}
