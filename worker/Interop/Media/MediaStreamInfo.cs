namespace Sandbox.Worker.Interop;

/// <summary>What the demuxer knows about one input stream, copied out of FFmpeg's structs.</summary>
public sealed record MediaStreamInfo
{
    public required int Index { get; init; }

    public required MediaKind Kind { get; init; }

    public required int CodecId { get; init; }

    public required string CodecName { get; init; }

    public required Rational TimeBase { get; init; }

    /// <summary>First timestamp in <see cref="TimeBase"/>, when the demuxer knows it.</summary>
    public long? StartTime { get; init; }

    /// <summary>Duration in <see cref="TimeBase"/>, when the demuxer knows it.</summary>
    public long? Duration { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>The frame rate FFmpeg guesses for the stream (<c>av_guess_frame_rate</c>); 0/1 when unknown.</summary>
    public Rational FrameRate { get; init; }

    public int SampleRate { get; init; }

    /// <summary>A cover image stored as a one-frame video stream (AV_DISPOSITION_ATTACHED_PIC), not real video.</summary>
    public bool IsAttachedPicture { get; init; }

    public int Channels { get; init; }
}
