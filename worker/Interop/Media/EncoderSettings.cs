namespace Sandbox.Worker.Interop;

/// <summary>Everything needed to open an encoder. Video fields are ignored for audio and vice versa.</summary>
public sealed record EncoderSettings
{
    public required CodecInfo Codec { get; init; }

    /// <summary>Time base of the frames that will be sent (the filter graph's output time base).</summary>
    public required Rational TimeBase { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public int PixelFormat { get; init; } = -1;

    public Rational FrameRate { get; init; }

    public Rational SampleAspectRatio { get; init; }

    public int SampleRate { get; init; }

    public int SampleFormat { get; init; } = -1;

    public string? ChannelLayout { get; init; }

    /// <summary>Target bit rate in bits per second, or null for the encoder's default rate control.</summary>
    public long? BitRate { get; init; }

    /// <summary>Keyframe interval in frames, or null for the encoder's default.</summary>
    public int? GopSize { get; init; }

    /// <summary>Encoder threads; 0 lets FFmpeg choose (as the ffmpeg CLI does).</summary>
    public int Threads { get; init; }

    /// <summary>The muxer wants codec headers out of band (AVFMT_GLOBALHEADER).</summary>
    public bool GlobalHeader { get; init; }

    /// <summary>Codec-specific AVOptions (<c>preset</c>, <c>crf</c>, <c>cpu-used</c>…), applied with av_opt_set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CodecOptions { get; init; } = [];
}
