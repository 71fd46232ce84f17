using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// decode → filter → encode → mux for one stream. Frames move through reused <see cref="Frame"/>
/// and <see cref="Packet"/> objects, so the steady state allocates nothing on the managed heap.
/// </summary>
internal sealed class EncodingPipeline : IStreamPipeline
{
    private readonly Decoder _decoder;
    private readonly FilterGraph _graph;
    private readonly Encoder _encoder;
    private readonly MediaOutput _output;
    private readonly ProgressMeter _meter;
    private readonly int _outputIndex;
    private readonly long _startOffset;
    private readonly bool _isVideo;
    private readonly Frame _decoded = new();
    private readonly Frame _filtered = new();
    private readonly Packet _encoded = new();
    private Rational _outputTimeBase;
    private long? _nextPts;
    private long _frameDuration;

    public EncodingPipeline(MediaInput input, EncodingPlan plan, MediaOutput output, ProgressMeter meter)
    {
        _decoder = plan.Decoder;
        _graph = plan.Graph;
        _encoder = plan.Encoder;
        _output = output;
        _meter = meter;
        _isVideo = plan.Decoder.Stream.Kind == MediaKind.Video;
        _startOffset = Timeline.StartOffset(input, plan.Decoder.Stream);
        _outputIndex = output.AddStream(plan.Encoder);
        Description = plan.Description;
    }

    public string Description { get; }

    /// <summary>Packets the decoder rejected as invalid data and that were skipped.</summary>
    public long SkippedPackets { get; private set; }

    public void Start()
    {
        _outputTimeBase = _output.StreamTimeBase(_outputIndex);
        _frameDuration = _isVideo && _graph.OutputFrameRate.IsValid
            ? Math.Max(1, Rational.Rescale(1, _graph.OutputFrameRate.Invert(), _encoder.TimeBase))
            : 0;
    }

    public void Process(Packet packet)
    {
        var accepted = _decoder.Send(packet);
        packet.Unref();
        if (!accepted)
        {
            SkippedPackets++;
            return;
        }

        DrainDecoder();
    }

    public void Flush()
    {
        _decoder.Send(null);
        DrainDecoder();
        _graph.End(_nextPts - _startOffset);
        DrainGraph();
        _encoder.Send(null);
        DrainEncoder();
    }

    public void Dispose()
    {
        _decoded.Dispose();
        _filtered.Dispose();
        _encoded.Dispose();
        _encoder.Dispose();
        _graph.Dispose();
        _decoder.Dispose();
    }

    private void DrainDecoder()
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

            _graph.Push(_decoded);
            _decoded.Unref();
            DrainGraph();
        }
    }

    private long FrameDuration(Rational timeBase) => _isVideo
        ? (_decoder.Stream.FrameRate.IsValid ? Rational.Rescale(1, _decoder.Stream.FrameRate.Invert(), timeBase) : 1)
        : Rational.Rescale(_decoded.SampleCount, new Rational(1, _decoder.SampleRate), timeBase);

    private void DrainGraph()
    {
        while (_graph.Pull(_filtered) == FilterResult.Frame)
        {
            if (_filtered.Pts is { } pts)
            {
                _filtered.Pts = Rational.Rescale(pts, _graph.OutputTimeBase, _encoder.TimeBase);
            }

            _filtered.ClearPictureType();
            _encoder.Send(_filtered);
            _filtered.Unref();
            if (_isVideo)
            {
                _meter.OnVideoFrameEncoded();
            }

            DrainEncoder();
        }
    }

    private void DrainEncoder()
    {
        while (_encoder.TryReceive(_encoded))
        {
            if (_isVideo && _encoded.Duration <= 0)
            {
                // Video encoders leave durations unset; without them the last frame has no length and the file ends one frame early.
                _encoded.Duration = _frameDuration;
            }

            if (_encoded.Pts is { } pts)
            {
                _meter.OnMediaWritten(_encoder.TimeBase.ToTimeSpan(pts + _encoded.Duration));
            }

            _encoded.RescaleTimestamps(_encoder.TimeBase, _outputTimeBase);
            _encoded.StreamIndex = _outputIndex;
            _output.Write(_encoded);
        }
    }
}
