using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>decode → filter (<see cref="FilteredStream"/>) → encode → mux for one stream, into one output file.</summary>
internal sealed class EncodingPipeline : IStreamPipeline
{
    private readonly FilteredStream _source;
    private readonly Encoder _encoder;
    private readonly MediaOutput _output;
    private readonly ProgressMeter _meter;
    private readonly int _outputIndex;
    private readonly bool _isVideo;
    private readonly Packet _encoded = new();
    private readonly Action<Frame> _encode;
    private Rational _outputTimeBase;
    private long _frameDuration;

    public EncodingPipeline(MediaInput input, EncodingPlan plan, MediaOutput output, ProgressMeter meter)
    {
        _source = new FilteredStream(input, plan.Decoder, plan.Graph);
        _encoder = plan.Encoder;
        _output = output;
        _meter = meter;
        _isVideo = plan.Decoder.Stream.Kind == MediaKind.Video;
        _outputIndex = output.AddStream(plan.Encoder);
        _encode = Encode;
        Description = plan.Description;
    }

    public string Description { get; }

    /// <summary>Packets the decoder rejected as invalid data and that were skipped.</summary>
    public long SkippedPackets => _source.SkippedPackets;

    public void Start()
    {
        _outputTimeBase = _output.StreamTimeBase(_outputIndex);
        _frameDuration = _encoder.FrameDuration;
    }

    public void Process(Packet packet) => _source.Process(packet, _encode);

    public void Flush()
    {
        _source.Flush(_encode);
        _encoder.Send(null);
        DrainEncoder();
    }

    public void Dispose()
    {
        _encoded.Dispose();
        _encoder.Dispose();
        _source.Dispose();
    }

    private void Encode(Frame filtered)
    {
        if (filtered.Pts is { } pts)
        {
            filtered.Pts = Rational.Rescale(pts, _source.Graph.OutputTimeBase, _encoder.TimeBase);
        }

        _encoder.Send(filtered);
        DrainEncoder();
    }

    private void DrainEncoder()
    {
        while (_encoder.TryReceive(_encoded))
        {
            if (_isVideo)
            {
                // Frames count as they come out of the encoder, not while they wait in its lookahead.
                _meter.OnVideoFrameEncoded();
                if (_encoded.Duration <= 0)
                {
                    // Without durations the last frame has no length and the file ends one frame early.
                    _encoded.Duration = _frameDuration;
                }
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
