namespace Sandbox.Worker.Engine;

/// <summary>
/// Where the timeline is cut. Video is cut every <see cref="FramesPerChunk"/> frames (each chunk
/// starts with an IDR frame, which opens a closed GOP). Audio is cut at the first packet
/// of the audio encoder's grid at or after the video cut, so a resumed encoder fed from the frame
/// before the cut emits exactly the packets the interrupted one would have. Pure arithmetic on
/// integers: the same manifest always yields the same cuts.
/// </summary>
internal sealed class ChunkGrid
{
    private readonly TimeSpan _chunkLength;
    private readonly VideoTimeline? _video;
    private readonly Interop.Rational _videoTimeBase;
    private readonly AudioTimeline? _audio;

    public ChunkGrid(TimeSpan chunkLength, VideoTimeline? video, AudioTimeline? audio)
    {
        _chunkLength = chunkLength;
        _video = video;
        _audio = audio;
        if (video is not null && !Interop.Rational.TryParse(video.TimeBase, out _videoTimeBase))
        {
            throw new ArgumentException($"invalid video time base {video.TimeBase}", nameof(video));
        }
    }

    /// <summary>Frames per chunk for a video time base of one tick per frame: the chunk length rounded to whole frames (at least one).</summary>
    public static long FramesPerChunk(TimeSpan chunkLength, Interop.Rational frameTimeBase) =>
        Math.Max(1, (long)Math.Round((double)chunkLength.Ticks * frameTimeBase.Denominator / ((double)frameTimeBase.Numerator * TimeSpan.TicksPerSecond)));

    /// <summary>The chunk a video frame (its pts in the encoder's time base) belongs to.</summary>
    public int VideoChunkOf(long frame) => (int)(Math.Max(0, frame) / _video!.FramesPerChunk);

    /// <summary>First video frame of chunk <paramref name="chunk"/>.</summary>
    public long VideoFirstFrame(int chunk) => chunk * _video!.FramesPerChunk;

    /// <summary>Output time where chunk <paramref name="chunk"/> starts.</summary>
    public TimeSpan Start(int chunk) => _video is not null
        ? _videoTimeBase.ToTimeSpan(VideoFirstFrame(chunk))
        : _chunkLength * chunk;

    /// <summary>Index of the first audio packet chunk <paramref name="chunk"/> owns (0 for the first chunk: it owns the priming packet too).</summary>
    public long AudioFirstPacket(int chunk)
    {
        if (chunk == 0)
        {
            return 0;
        }

        var audio = _audio!;
        var cut = (Int128)Start(chunk).Ticks * audio.SampleRate;
        var cutSamples = (long)((cut + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
        var numerator = cutSamples - audio.Origin + audio.Padding;
        return Math.Max(1, (numerator + audio.FrameSize - 1) / audio.FrameSize);
    }

    /// <summary>The pts (in samples) of audio packet <paramref name="packet"/>.</summary>
    public long AudioPacketPts(long packet) => _audio!.Origin + (packet * _audio.FrameSize) - _audio.Padding;

    /// <summary>The pts (in samples) of the encoder input frame <paramref name="frame"/>.</summary>
    public long AudioFrameStart(long frame) => _audio!.Origin + (frame * _audio.FrameSize);

    /// <summary>The encoder input frame starting at (or containing) <paramref name="pts"/> samples.</summary>
    public long AudioFrameAt(long pts) => (long)Math.Round((double)(pts - _audio!.Origin) / _audio.FrameSize);

    /// <summary>The first input frame chunk <paramref name="chunk"/>'s encoder is fed: one before its first packet, so that packet is not the encoder's priming.</summary>
    public long AudioFirstFedFrame(int chunk) => chunk == 0 ? 0 : AudioFirstPacket(chunk) - 1;
}
