using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

internal static unsafe partial class LibAVCodec
{
    public const int AV_CODEC_CAP_VARIABLE_FRAME_SIZE = 1 << 16;
    public const int AV_PKT_FLAG_KEY = 1;

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial uint avcodec_version();

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial nint av_codec_iterate(ref nint opaque);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial int av_codec_is_encoder(nint codec);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial int av_codec_is_decoder(nint codec);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial nint avcodec_find_decoder(int codecId);

    [LibraryImport(NativeLibraries.AVCodec, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint avcodec_find_encoder_by_name(string name);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial nint avcodec_get_name(int codecId);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial nint avcodec_alloc_context3(nint codec);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial void avcodec_free_context(ref nint context);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial int avcodec_parameters_to_context(CodecContextHandle context, nint parameters);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial int avcodec_parameters_from_context(nint parameters, CodecContextHandle context);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial int avcodec_parameters_copy(nint destination, nint source);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial int avcodec_open2(CodecContextHandle context, nint codec, ref nint options);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial int avcodec_send_packet(CodecContextHandle context, nint packet);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial int avcodec_receive_frame(CodecContextHandle context, FrameHandle frame);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial int avcodec_send_frame(CodecContextHandle context, nint frame);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial int avcodec_receive_packet(CodecContextHandle context, PacketHandle packet);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial nint av_packet_alloc();

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial void av_packet_free(ref nint packet);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial void av_packet_unref(PacketHandle packet);

    [LibraryImport(NativeLibraries.AVCodec)]
    public static partial void av_packet_rescale_ts(PacketHandle packet, Rational from, Rational to);
}
