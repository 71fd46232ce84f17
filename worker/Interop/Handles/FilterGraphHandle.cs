namespace Sandbox.Worker.Interop;

/// <summary>An <c>AVFilterGraph</c>; it owns every filter context created in it.</summary>
internal sealed class FilterGraphHandle : FFmpegHandle
{
    public static FilterGraphHandle Allocate() => Adopt(new FilterGraphHandle(), LibAVFilter.avfilter_graph_alloc(), "avfilter_graph_alloc");

    protected override bool ReleaseHandle()
    {
        LibAVFilter.avfilter_graph_free(ref handle);
        return true;
    }
}
