using System.Security.Cryptography;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// One chunk being written: its own encoders (so it starts with a keyframe and needs nothing from
/// the chunk before) and its own file in the chunk container, named <c>.partial</c> until it is
/// complete, flushed and checksummed. Each stream's timestamps are stored relative to its first
/// dts, so the container never shifts them; the <see cref="ChunkRecord"/> says how to restore them.
/// Audio packets outside the chunk's own range (the resumed encoder's priming, the post-roll
/// after the cut) are dropped here.
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
    private readonly Packet _packet = new();
    private readonly ProgressMeter _meter;
    private readonly ChunkVideo? _videoPlan;
    private readonly FilterGraph? _scaler;
    private readonly Frame? _scaled;
    private bool _finished;

    /// <param name="video">How this chunk encodes its video (null: no video).</param>
    /// <param name="audioKeep">The audio packets (pts range, in samples) this chunk owns: from its first packet to the next chunk's first.</param>
    public ChunkWriter(
        int index, string directory, string settings, ChunkVideo? video, EncoderSettings? audio, (long From, long Until) audioKeep, ProgressMeter meter, InterruptGuard interrupt)
    {
        Index = index;
        _directory = directory;
        _settings = settings;
        _meter = meter;
        _videoPlan = video;
        FileName = $"chunk-{index:D5}.mp4";
        _output = MediaOutput.Create(PartialPath, ChunkMuxer, interrupt);
        try
        {
            if (video?.Scale is { } scale)
            {
                _scaler = FilterGraph.CreateVideo(scale.Width, scale.Height, scale.PixelFormat, scale.TimeBase, scale.FrameRate, scale.Chain);
                _scaled = new Frame();
            }

            _video = video is null ? null : new StreamPart(_output, Encoder.Open(video.Settings), keepFrom: long.MinValue, keepUntil: long.MaxValue);
            _audio = audio is null ? null : new StreamPart(_output, Encoder.Open(audio), audioKeep.From, audioKeep.Until);
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
    /// Encodes a video frame whose pts (in the encoder's time base) counts frames. A frame-rate cut
    /// keeps the frames on a grid of every n-th frame of the whole timeline, so spacing stays even across chunks.
    /// </summary>
    public void WriteVideo(Frame frame)
    {
        if (frame.Pts!.Value % _videoPlan!.FrameStep != 0)
        {
            return;
        }

        if (_scaler is null)
        {
            Encode(frame);
            return;
        }

        _scaler.Push(frame);
        while (_scaler.Pull(_scaled!) == FilterResult.Frame)
        {
            Encode(_scaled!);
            _scaled!.Unref();
        }
    }

    private void Encode(Frame frame)
    {
        _video!.Encoder.Send(frame);
        _meter.OnVideoFrameEncoded();
        Drain(_video, _video.KeepUntil);
    }

    /// <summary>Encodes an audio frame whose pts is in samples (the audio encoder's time base).</summary>
    public void WriteAudio(Frame frame)
    {
        _audio!.Encoder.Send(frame);
        Drain(_audio, _audio.KeepUntil);
    }

    /// <summary>Flushes the video encoder: the chunk gets no more video.</summary>
    public void EndVideo()
    {
        if (_video is { Ended: false })
        {
            _video.Encoder.Send(null);
            Drain(_video, _video.KeepUntil);
            _video.Ended = true;
        }
    }

    /// <summary>Flushes the audio encoder. The last chunk keeps everything it flushes (the end of the stream); others stop at the next chunk's first packet.</summary>
    public void EndAudio(bool last)
    {
        if (_audio is { Ended: false })
        {
            _audio.Encoder.Send(null);
            Drain(_audio, last ? long.MaxValue : _audio.KeepUntil);
            _audio.Ended = true;
        }
    }

    /// <summary>
    /// Writes the trailer, flushes the file to disk, checksums it and gives it its final name.
    /// Returns null when the chunk received no packet at all (input ended right at a cut).
    /// </summary>
    public ChunkRecord? Finish(ChunkGrid grid, Rational? videoTimeBase, int sampleRate)
    {
        _output.Finish();
        _output.Dispose();
        _finished = true;
        if ((_video?.Packets ?? 0) == 0 && (_audio?.Packets ?? 0) == 0)
        {
            File.Delete(PartialPath);
            return null;
        }

        DurableFile.Flush(PartialPath);
        var path = Path.Combine(_directory, FileName);
        File.Move(PartialPath, path, overwrite: true);
        var audioTimeBase = new Rational(1, Math.Max(1, sampleRate));
        var video = _video?.Span();
        var audio = _audio?.Span();
        var start = video is not null ? grid.Start(Index) : audioTimeBase.ToTimeSpan(Math.Max(0, audio!.FirstPts));
        var end = video is not null && videoTimeBase is { } tb ? tb.ToTimeSpan(video.EndPts) : audioTimeBase.ToTimeSpan(audio!.EndPts);
        if (audio is not null && video is not null)
        {
            end = TimeSpan.FromTicks(Math.Max(end.Ticks, audioTimeBase.ToTimeSpan(audio.EndPts).Ticks));
        }

        return new ChunkRecord
        {
            Index = Index,
            File = FileName,
            Bytes = new FileInfo(path).Length,
            Sha256 = Checksum(path),
            Settings = _settings,
            Start = start,
            End = end,
            Video = video,
            Audio = audio,
            Adjustment = _videoPlan?.Adjustment is { IsEmpty: false } adjustment ? adjustment.Describe() : null,
        };
    }

    public static string Checksum(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose()
    {
        _video?.Encoder.Dispose();
        _audio?.Encoder.Dispose();
        _scaler?.Dispose();
        _scaled?.Dispose();
        _packet.Dispose();
        if (!_finished)
        {
            _output.Dispose();
            File.Delete(PartialPath);
        }
    }

    private void Drain(StreamPart part, long keepUntil)
    {
        while (part.Encoder.TryReceive(_packet))
        {
            var pts = _packet.Pts ?? part.EndPts;
            if (pts < part.KeepFrom || pts >= keepUntil)
            {
                _packet.Unref();
                continue;
            }

            if (part.FrameDuration > 0 && _packet.Duration <= 0)
            {
                // Video encoders leave durations unset; without them the last frame has no length.
                _packet.Duration = part.FrameDuration;
            }

            part.Record(_packet);
            _meter.OnMediaWritten(part.Encoder.TimeBase.ToTimeSpan(pts + _packet.Duration));
            _packet.Shift(-part.FirstDts);
            _packet.RescaleTimestamps(part.Encoder.TimeBase, part.OutputTimeBase);
            _packet.StreamIndex = part.OutputIndex;
            _output.Write(_packet);
        }
    }

    /// <summary>One stream of the chunk: its encoder, the packets it keeps and what they covered.</summary>
    private sealed class StreamPart(MediaOutput output, Encoder encoder, long keepFrom, long keepUntil)
    {
        public Encoder Encoder { get; } = encoder;

        public long KeepFrom { get; } = keepFrom;

        public long KeepUntil { get; } = keepUntil;

        public int OutputIndex { get; } = output.AddStream(encoder);

        public Rational OutputTimeBase { get; private set; }

        public long FrameDuration { get; private set; }

        public bool Ended { get; set; }

        public long Packets { get; private set; }

        public long FirstPts { get; private set; }

        public long FirstDts { get; private set; }

        public long EndPts { get; private set; }

        private long _units;

        public void Start(MediaOutput started)
        {
            OutputTimeBase = started.StreamTimeBase(OutputIndex);
            FrameDuration = Encoder.Codec.Kind == MediaKind.Video && Encoder.FrameRate.IsValid
                ? Math.Max(1, Rational.Rescale(1, Encoder.FrameRate.Invert(), Encoder.TimeBase))
                : 0;
        }

        public void Record(Packet packet)
        {
            var pts = packet.Pts ?? EndPts;
            if (Packets == 0)
            {
                FirstPts = pts;
                FirstDts = packet.Dts ?? pts;
            }

            Packets++;
            _units += Encoder.Codec.Kind == MediaKind.Video ? 1 : packet.Duration;
            EndPts = Math.Max(EndPts, pts + packet.Duration);
        }

        public StreamSpan? Span() => Packets == 0 ? null : new StreamSpan(FirstPts, FirstDts, EndPts, Packets, _units);
    }
}
