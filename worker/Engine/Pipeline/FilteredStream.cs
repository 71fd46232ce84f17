using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// decode → filter for one input stream: packets in, filtered frames out (in the graph's output
/// time base) to a callback that must not keep them. Frames move through reused <see cref="Frame"/>
/// objects, so the steady state allocates nothing on the managed heap.
/// </summary>
internal sealed class FilteredStream : IDisposable
{
    private readonly Decoder _decoder;
    private readonly long _startOffset;
    private readonly bool _isVideo;
    private readonly Frame _decoded = new();
    private readonly Frame _filtered = new();
    private long? _nextPts;

    public FilteredStream(MediaInput input, Decoder decoder, FilterGraph graph)
    {
        _decoder = decoder;
        Graph = graph;
        _isVideo = decoder.Stream.Kind == MediaKind.Video;
        _startOffset = Timeline.StartOffset(input, decoder.Stream);
    }

    public FilterGraph Graph { get; }

    public MediaStreamInfo Stream => _decoder.Stream;

    /// <summary>Packets the decoder rejected as invalid data and that were skipped.</summary>
    public long SkippedPackets { get; private set; }

    /// <summary>Decodes one packet (and unreferences it); every frame the graph then yields goes to <paramref name="onFrame"/>.</summary>
    public void Process(Packet packet, Action<Frame> onFrame)
    {
        var accepted = _decoder.Send(packet);
        packet.Unref();
        if (!accepted)
        {
            SkippedPackets++;
            return;
        }

        DrainDecoder(onFrame);
    }

    /// <summary>Drains the decoder and the graph at the end of the input.</summary>
    public void Flush(Action<Frame> onFrame)
    {
        _decoder.Send(null);
        DrainDecoder(onFrame);
        Graph.End(_nextPts - _startOffset);
        DrainGraph(onFrame);
    }

    public void Dispose()
    {
        _decoded.Dispose();
        _filtered.Dispose();
        Graph.Dispose();
        _decoder.Dispose();
    }

    private void DrainDecoder(Action<Frame> onFrame)
    {
        var timeBase = _decoder.Stream.TimeBase;
        while (_decoder.TryReceive(_decoded))
        {
            // Frames without a timestamp continue from the previous one, so filters never see a gap or a rewind.
            var pts = _decoded.BestEffortTimestamp ?? _nextPts;
            if (pts is { } known)
            {
                _nextPts = known + FrameDuration(timeBase);
                _decoded.Pts = known - _startOffset;
            }

            Graph.Push(_decoded);
            _decoded.Unref();
            DrainGraph(onFrame);
        }
    }

    private long FrameDuration(Rational timeBase) => _isVideo
        ? (_decoder.Stream.FrameRate.IsValid ? Rational.Rescale(1, _decoder.Stream.FrameRate.Invert(), timeBase) : 1)
        : Rational.Rescale(_decoded.SampleCount, new Rational(1, _decoder.SampleRate), timeBase);

    private void DrainGraph(Action<Frame> onFrame)
    {
        while (Graph.Pull(_filtered) == FilterResult.Frame)
        {
            _filtered.ClearPictureType();
            onFrame(_filtered);
            _filtered.Unref();
        }
    }
}
