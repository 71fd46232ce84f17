namespace Sandbox.Worker.Interop;

/// <summary>
/// A linear libavfilter chain from a <c>buffer</c>/<c>abuffer</c> source to a sink. Filter contexts
/// belong to the graph and never leave this class.
/// </summary>
public sealed class FilterGraph : IDisposable
{
    private readonly FilterGraphHandle _graph;
    private readonly nint _source;
    private readonly nint _sink;

    private FilterGraph(FilterGraphHandle graph, nint source, nint sink)
    {
        _graph = graph;
        _source = source;
        _sink = sink;
    }

    public Rational OutputTimeBase => LibAVFilter.av_buffersink_get_time_base(_sink);

    public Rational OutputFrameRate => LibAVFilter.av_buffersink_get_frame_rate(_sink);

    public Rational OutputSampleAspectRatio => LibAVFilter.av_buffersink_get_sample_aspect_ratio(_sink);

    public int OutputWidth => LibAVFilter.av_buffersink_get_w(_sink);

    public int OutputHeight => LibAVFilter.av_buffersink_get_h(_sink);

    /// <summary>The negotiated output format (<c>AVPixelFormat</c> or <c>AVSampleFormat</c>).</summary>
    public int OutputFormat => LibAVFilter.av_buffersink_get_format(_sink);

    public int OutputSampleRate => LibAVFilter.av_buffersink_get_sample_rate(_sink);

    /// <summary>A video chain fed with frames of <paramref name="decoder"/>, timestamps in <paramref name="timeBase"/>.</summary>
    public static FilterGraph CreateVideo(Decoder decoder, Rational timeBase, IEnumerable<FilterSpec> chain) =>
        CreateVideo(decoder.Width, decoder.Height, decoder.PixelFormat, timeBase, decoder.Stream.FrameRate, chain);

    /// <summary>A video chain fed with frames of this size and pixel format, timestamps in <paramref name="timeBase"/>.</summary>
    public static FilterGraph CreateVideo(int width, int height, int pixelFormat, Rational timeBase, Rational frameRate, IEnumerable<FilterSpec> chain)
    {
        var rate = frameRate.IsValid ? $":frame_rate={frameRate}" : "";
        var source = new FilterSpec("buffer", $"video_size={width}x{height}:pix_fmt={pixelFormat}:time_base={timeBase}:pixel_aspect=0/1{rate}");
        return Create(source, chain, new FilterSpec("buffersink", null));
    }

    /// <summary>An audio chain fed with frames of <paramref name="decoder"/>, timestamps in <paramref name="timeBase"/>.</summary>
    public static FilterGraph CreateAudio(Decoder decoder, Rational timeBase, IEnumerable<FilterSpec> chain)
    {
        var source = new FilterSpec(
            "abuffer",
            $"time_base={timeBase}:sample_rate={decoder.SampleRate}:sample_fmt={CodecInfo.SampleFormatName(decoder.SampleFormat)}:channel_layout={decoder.ChannelLayout}");
        return Create(source, chain, new FilterSpec("abuffersink", null));
    }

    /// <summary>Makes the audio sink hand out frames of exactly this many samples (for fixed-frame-size encoders).</summary>
    public void SetOutputFrameSize(int samples) => LibAVFilter.av_buffersink_set_frame_size(_sink, (uint)samples);

    /// <summary>Feeds a frame; the graph takes its own reference.</summary>
    public void Push(Frame frame) =>
        FFmpegException.ThrowIfError(
            LibAVFilter.av_buffersrc_add_frame_flags(_source, frame.Handle.DangerousGetHandle(), LibAVFilter.AV_BUFFERSRC_FLAG_KEEP_REF),
            "av_buffersrc_add_frame_flags");

    /// <summary>
    /// Ends the input at <paramref name="endPts"/> (source time base): the end of the last frame, so
    /// the <c>fps</c> filter still emits that frame instead of treating its start as the end.
    /// </summary>
    public void End(long? endPts) =>
        FFmpegException.ThrowIfError(
            LibAVFilter.av_buffersrc_close(_source, endPts ?? LibAVUtil.AV_NOPTS_VALUE, LibAVFilter.AV_BUFFERSRC_FLAG_PUSH),
            "av_buffersrc_close");

    public FilterResult Pull(Frame frame)
    {
        var result = LibAVFilter.av_buffersink_get_frame(_sink, frame.Handle);
        return result switch
        {
            AVError.Again => FilterResult.NeedsInput,
            AVError.EndOfFile => FilterResult.Finished,
            _ => FFmpegException.ThrowIfError(result, "av_buffersink_get_frame") >= 0 ? FilterResult.Frame : FilterResult.Finished,
        };
    }

    public void Dispose() => _graph.Dispose();

    private static FilterGraph Create(FilterSpec source, IEnumerable<FilterSpec> chain, FilterSpec sink)
    {
        var graph = FilterGraphHandle.Allocate();
        try
        {
            var filters = new List<nint>();
            foreach (var (spec, index) in chain.Prepend(source).Append(sink).Select((s, i) => (s, i)))
            {
                var filter = LibAVFilter.avfilter_get_by_name(spec.Name);
                if (filter == nint.Zero)
                {
                    throw new FFmpegException($"avfilter_get_by_name({spec.Name})", AVError.FilterNotFound);
                }

                FFmpegException.ThrowIfError(
                    LibAVFilter.avfilter_graph_create_filter(out var context, filter, $"{spec.Name}{index}", spec.Arguments, nint.Zero, graph),
                    $"avfilter_graph_create_filter({spec})");
                if (filters.Count > 0)
                {
                    FFmpegException.ThrowIfError(LibAVFilter.avfilter_link(filters[^1], 0, context, 0), $"avfilter_link({spec.Name})");
                }

                filters.Add(context);
            }

            FFmpegException.ThrowIfError(LibAVFilter.avfilter_graph_config(graph, nint.Zero), "avfilter_graph_config");
            return new FilterGraph(graph, filters[0], filters[^1]);
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }
}
