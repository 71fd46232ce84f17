using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

internal static unsafe partial class LibAVUtil
{
    public const int AV_LOG_QUIET = -8;
    public const int AV_LOG_ERROR = 16;
    public const int AV_LOG_WARNING = 24;
    public const int AV_LOG_INFO = 32;
    public const int AV_OPT_SEARCH_CHILDREN = 1;
    public const long AV_NOPTS_VALUE = long.MinValue;
    public const int AV_TIME_BASE = 1_000_000;
    public const int AVMEDIA_TYPE_VIDEO = 0;
    public const int AVMEDIA_TYPE_AUDIO = 1;
    public const int AV_PICTURE_TYPE_NONE = 0;
    public const int AV_PICTURE_TYPE_I = 1;
    public const int AV_PKT_FLAG_KEY = 1;

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial uint avutil_version();

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial int av_strerror(int errnum, byte* errbuf, nuint errbufSize);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial void av_log_set_level(int level);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial nint av_frame_alloc();

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial void av_frame_free(ref nint frame);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial void av_frame_unref(FrameHandle frame);

    /// <summary>The same function on a raw pointer: only <see cref="NativeCrash"/> uses it, to fault inside FFmpeg on purpose.</summary>
    [LibraryImport(NativeLibraries.AVUtil, EntryPoint = "av_frame_unref")]
    public static partial void av_frame_unref_pointer(nint frame);

    [LibraryImport(NativeLibraries.AVUtil, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_dict_set(ref nint dictionary, string key, string value, int flags);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial void av_dict_free(ref nint dictionary);

    [LibraryImport(NativeLibraries.AVUtil, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_opt_set(nint obj, string name, string value, int searchFlags);

    [LibraryImport(NativeLibraries.AVUtil, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_opt_set_int(nint obj, string name, long value, int searchFlags);

    [LibraryImport(NativeLibraries.AVUtil, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_opt_set_q(nint obj, string name, Rational value, int searchFlags);

    [LibraryImport(NativeLibraries.AVUtil, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_opt_get_int(nint obj, string name, int searchFlags, out long value);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial long av_rescale_q(long value, Rational from, Rational to);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial nint av_get_pix_fmt_name(int pixelFormat);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial nint av_get_sample_fmt_name(int sampleFormat);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial void av_channel_layout_default(byte* layout, int channels);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial int av_channel_layout_describe(byte* layout, byte* buffer, nuint bufferSize);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial void av_channel_layout_uninit(byte* layout);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial int av_hwdevice_iterate_types(int previous);

    [LibraryImport(NativeLibraries.AVUtil)]
    public static partial nint av_hwdevice_get_type_name(int type);
}
