using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

internal static unsafe partial class LibAVFormat
{
    public const int AVFMT_GLOBALHEADER = 0x0040;
    public const int AVIO_FLAG_WRITE = 2;

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial uint avformat_version();

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial nint avformat_alloc_context();

    [LibraryImport(NativeLibraries.AVFormat, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int avformat_open_input(ref nint context, string url, nint format, ref nint options);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial void avformat_close_input(ref nint context);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial int avformat_find_stream_info(InputContextHandle context, nint* options);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial int av_find_best_stream(InputContextHandle context, int type, int wantedStream, int relatedStream, nint decoder, int flags);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial int av_read_frame(InputContextHandle context, PacketHandle packet);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial int avformat_seek_file(InputContextHandle context, int streamIndex, long minTimestamp, long timestamp, long maxTimestamp, int flags);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial Rational av_guess_frame_rate(InputContextHandle context, nint stream, nint frame);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial nint av_probe_input_format3(byte* probeData, int isOpened, int* score);

    [LibraryImport(NativeLibraries.AVFormat, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint av_find_input_format(string shortName);

    [LibraryImport(NativeLibraries.AVFormat, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint av_guess_format(string? shortName, string? fileName, string? mimeType);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial nint av_demuxer_iterate(ref nint opaque);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial nint av_muxer_iterate(ref nint opaque);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial int avformat_query_codec(nint outputFormat, int codecId, int stdCompliance);

    [LibraryImport(NativeLibraries.AVFormat, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int avformat_alloc_output_context2(out nint context, nint outputFormat, string? formatName, string? fileName);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial void avformat_free_context(nint context);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial nint avformat_new_stream(OutputContextHandle context, nint codec);

    [LibraryImport(NativeLibraries.AVFormat, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int avio_open2(out nint io, string url, int flags, nint interruptCallback, ref nint options);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial int avio_closep(ref nint io);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial int avformat_write_header(OutputContextHandle context, ref nint options);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial int av_interleaved_write_frame(OutputContextHandle context, nint packet);

    [LibraryImport(NativeLibraries.AVFormat)]
    public static partial int av_write_trailer(OutputContextHandle context);
}
