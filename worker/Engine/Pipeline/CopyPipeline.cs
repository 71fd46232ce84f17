using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>Passes compressed packets through, shifting them onto the output's timeline.</summary>
internal sealed class CopyPipeline : IStreamPipeline
{
    private readonly MediaStreamInfo _source;
    private readonly MediaOutput _output;
    private readonly ProgressMeter _meter;
    private readonly int _outputIndex;
    private readonly long _startOffset;
    private Rational _outputTimeBase;

    public CopyPipeline(MediaInput input, MediaStreamInfo source, MediaOutput output, ProgressMeter meter)
    {
        _source = source;
        _output = output;
        _meter = meter;
        _outputIndex = output.AddCopiedStream(input, source);
        _startOffset = Timeline.StartOffset(input, source);
        Description = $"{source.Kind.ToString().ToLowerInvariant()}: {source.CodecName} (copy)";
    }

    public string Description { get; }

    public void Start() => _outputTimeBase = _output.StreamTimeBase(_outputIndex);

    public void Process(Packet packet)
    {
        packet.Shift(-_startOffset);
        if (packet.Pts is { } pts)
        {
            _meter.OnMediaWritten(_source.TimeBase.ToTimeSpan(pts + packet.Duration));
        }

        if (_source.Kind == MediaKind.Video)
        {
            _meter.OnVideoFrameEncoded();
        }

        packet.RescaleTimestamps(_source.TimeBase, _outputTimeBase);
        packet.StreamIndex = _outputIndex;
        _output.Write(packet);
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
