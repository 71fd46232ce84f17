using System.Security.Cryptography;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// One chunk being written: its own file in the chunk container, named <c>.partial</c> until it is
/// complete, flushed and checksummed. Video packets come from <see cref="ChunkVideoEncoder"/> (the
/// chunk starts with an IDR frame and needs nothing from the chunk before); audio is encoded here
/// by the chunk's own encoder, which keeps only the packets the chunk owns (not the resumed
/// encoder's priming, not the post-roll after the cut). Each stream's timestamps are stored
/// relative to its first dts, so the container never shifts them; the <see cref="ChunkRecord"/>
/// says how to restore them.
/// </summary>
internal sealed class ChunkWriter : IDisposable
{
    /// <summary>ISO BMFF: exact per-track time bases, pts and dts both stored, and every codec the engine writes.</summary>
    public const string ChunkMuxer = "mp4";

    private static readonly KeyValuePair<string, string>[] MuxerOptions = [new("use_editlist", "0")];

    private readonly string _directory;
    private readonly string _settings;
    private readonly MediaOutput _output;
    private readonly StreamPart? _video;
    private readonly StreamPart? _audio;
    private readonly Encoder? _audioEncoder;
    private readonly Packet _audioPacket = new();
    private readonly ProgressMeter _meter;
    private readonly VideoAdjustment? _adjustment;
    private bool _finished;

    /// <param name="videoSource">The encoder that makes this chunk's video (its stream parameters are declared here), or null without video.</param>
    /// <param name="adjustment">The adjustment the chunk's video is encoded under.</param>
    /// <param name="audio">Settings of the chunk's own audio encoder, or null without audio.</param>
    /// <param name="audioKeep">The audio packets (pts range, in samples) this chunk owns: from its first packet to the next chunk's first.</param>
    public ChunkWriter(
        int index, string directory, string settings, Encoder? videoSource, VideoAdjustment? adjustment, EncoderSettings? audio, (long From, long Until) audioKeep,
        ProgressMeter meter, InterruptGuard interrupt)
    {
        Index = index;
        _directory = directory;
        _settings = settings;
        _meter = meter;
        _adjustment = adjustment;
        FileName = $"chunk-{index:D5}.mp4";
        _output = MediaOutput.Create(PartialPath, ChunkMuxer, interrupt);
        try
        {
            _video = videoSource is null ? null : new StreamPart(_output, videoSource, long.MinValue, long.MaxValue);
            if (audio is not null)
            {
                _audioEncoder = Encoder.Open(audio);
                _audio = new StreamPart(_output, _audioEncoder, audioKeep.From, audioKeep.Until);
            }

            _output.Open(MuxerOptions);
            _video?.Start(_output);
            _audio?.Start(_output);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Index { get; }

    public string FileName { get; }

    public bool VideoEnded => _video is null || _video.Ended;

    public bool AudioEnded => _audio is null || _audio.Ended;

    private string PartialPath => Path.Combine(_directory, FileName + ".partial");

    /// <summary>
    /// Writes a video packet of this chunk (timestamps in the video encoder's time base); the muxer
    /// takes its contents. Progress counts frames here, as they come out of the encoder: frames still
    /// in its lookahead are not encoded yet (a crash then costs re-reading them, not re-encoding them).
    /// </summary>
    public void WriteVideoPacket(Packet packet)
    {
        _meter.OnVideoFrameEncoded();
        Write(_video!, packet, long.MaxValue);
    }

    /// <summary>The chunk gets no more video.</summary>
    public void EndVideo()
    {
        if (_video is not null)
        {
            _video.Ended = true;
        }
    }

    /// <summary>Encodes an audio frame whose pts is in samples (the audio encoder's time base).</summary>
    public void WriteAudio(Frame frame)
    {
        _audioEncoder!.Send(frame);
        DrainAudio(_audio!.KeepUntil);
    }

    /// <summary>Flushes the audio encoder. The last chunk keeps everything it flushes (the end of the stream); others stop at the next chunk's first packet.</summary>
    public void EndAudio(bool last)
    {
        if (_audio is { Ended: false })
        {
            _audioEncoder!.Send(null);
            DrainAudio(last ? long.MaxValue : _audio.KeepUntil);
            _audio.Ended = true;
        }
    }

    /// <summary>
    /// Writes the trailer and closes the file; returns what is needed to make it durable (see
    /// <see cref="ClosedChunk"/>), or null when the chunk received no packet at all (input ended right at a cut).
    /// </summary>
    public ClosedChunk? Close(ChunkGrid grid, Rational? videoTimeBase, int sampleRate)
    {
        _output.Finish();
        _output.Dispose();
        _finished = true;
        if ((_video?.Packets ?? 0) == 0 && (_audio?.Packets ?? 0) == 0)
        {
            File.Delete(PartialPath);
            return null;
        }

        var audioTimeBase = new Rational(1, Math.Max(1, sampleRate));
        var video = _video?.Span();
        var audio = _audio?.Span();
        var start = video is not null ? grid.Start(Index) : audioTimeBase.ToTimeSpan(Math.Max(0, audio!.FirstPts));
        var end = video is not null && videoTimeBase is { } tb ? tb.ToTimeSpan(video.EndPts) : audioTimeBase.ToTimeSpan(audio!.EndPts);
        if (audio is not null && video is not null)
        {
            end = TimeSpan.FromTicks(Math.Max(end.Ticks, audioTimeBase.ToTimeSpan(audio.EndPts).Ticks));
        }

        return new ClosedChunk(PartialPath, Path.Combine(_directory, FileName), new ChunkRecord
        {
            Index = Index,
            File = FileName,
            Bytes = 0,
            Sha256 = "",
            Settings = _settings,
            Start = start,
            End = end,
            Video = video,
            Audio = audio,
            Adjustment = _adjustment is { IsEmpty: false } adjustment ? adjustment.Describe() : null,
        });
    }

    public static string Checksum(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose()
    {
        _audioEncoder?.Dispose();
        _audioPacket.Dispose();
        if (!_finished)
        {
            _output.Dispose();
            File.Delete(PartialPath);
        }
    }

    private void DrainAudio(long keepUntil)
    {
        while (_audioEncoder!.TryReceive(_audioPacket))
        {
            Write(_audio!, _audioPacket, keepUntil);
        }
    }

    /// <summary>Writes a packet the chunk owns (and drops one it does not), recording what it covers.</summary>
    private void Write(StreamPart part, Packet packet, long keepUntil)
    {
        var pts = packet.Pts ?? part.EndPts;
        if (pts < part.KeepFrom || pts >= keepUntil)
        {
            packet.Unref();
            return;
        }

        if (part.FrameDuration > 0 && packet.Duration <= 0)
        {
            // Video encoders leave durations unset; without them the last frame has no length.
            packet.Duration = part.FrameDuration;
        }

        part.Record(packet);
        _meter.OnMediaWritten(part.TimeBase.ToTimeSpan(pts + packet.Duration));
        packet.Shift(-part.FirstDts);
        packet.RescaleTimestamps(part.TimeBase, part.OutputTimeBase);
        packet.StreamIndex = part.OutputIndex;
        _output.Write(packet);
    }

    /// <summary>One stream of the chunk: its encoder's time base and rate, the packets it keeps and what they covered.</summary>
    private sealed class StreamPart(MediaOutput output, Encoder source, long keepFrom, long keepUntil)
    {
        public Rational TimeBase { get; } = source.TimeBase;

        public long KeepFrom { get; } = keepFrom;

        public long KeepUntil { get; } = keepUntil;

        public long FrameDuration { get; } = source.FrameDuration;

        public int OutputIndex { get; } = output.AddStream(source);

        public Rational OutputTimeBase { get; private set; }

        public bool Ended { get; set; }

        public long Packets { get; private set; }

        public long FirstPts { get; private set; }

        public long FirstDts { get; private set; }

        public long EndPts { get; private set; }

        private bool IsVideo { get; } = source.Codec.Kind == MediaKind.Video;

        private long _units;

        public void Start(MediaOutput started) => OutputTimeBase = started.StreamTimeBase(OutputIndex);

        public void Record(Packet packet)
        {
            var pts = packet.Pts ?? EndPts;
            if (Packets == 0)
            {
                FirstPts = pts;
                FirstDts = packet.Dts ?? pts;
            }

            Packets++;
            _units += IsVideo ? 1 : packet.Duration;
            EndPts = Math.Max(EndPts, pts + packet.Duration);
        }

        public StreamSpan? Span() => Packets == 0 ? null : new StreamSpan(FirstPts, FirstDts, EndPts, Packets, _units);
    }
}
