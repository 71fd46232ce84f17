using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

internal static unsafe partial class LibAVFilter
{
    /// <summary>Keep a reference to the frame instead of taking ownership (AV_BUFFERSRC_FLAG_KEEP_REF).</summary>
    public const int AV_BUFFERSRC_FLAG_KEEP_REF = 8;

    /// <summary>Process the frame (or end of stream) through the graph right away (AV_BUFFERSRC_FLAG_PUSH).</summary>
    public const int AV_BUFFERSRC_FLAG_PUSH = 4;

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial uint avfilter_version();

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial nint avfilter_graph_alloc();

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial void avfilter_graph_free(ref nint graph);

    [LibraryImport(NativeLibraries.AVFilter, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint avfilter_get_by_name(string name);

    [LibraryImport(NativeLibraries.AVFilter, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int avfilter_graph_create_filter(out nint filterContext, nint filter, string name, string? args, nint opaque, FilterGraphHandle graph);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial int avfilter_link(nint source, uint sourcePad, nint destination, uint destinationPad);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial int avfilter_graph_config(FilterGraphHandle graph, nint logContext);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial int av_buffersrc_add_frame_flags(nint source, nint frame, int flags);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial int av_buffersrc_close(nint source, long pts, uint flags);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial int av_buffersink_get_frame(nint sink, FrameHandle frame);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial void av_buffersink_set_frame_size(nint sink, uint frameSize);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial Rational av_buffersink_get_time_base(nint sink);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial Rational av_buffersink_get_frame_rate(nint sink);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial Rational av_buffersink_get_sample_aspect_ratio(nint sink);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial int av_buffersink_get_format(nint sink);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial int av_buffersink_get_w(nint sink);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial int av_buffersink_get_h(nint sink);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial int av_buffersink_get_sample_rate(nint sink);

    [LibraryImport(NativeLibraries.AVFilter)]
    public static partial int av_buffersink_get_channels(nint sink);
}
