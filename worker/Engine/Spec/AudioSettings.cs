namespace Sandbox.Worker.Engine;

/// <summary>What the output audio should be. Null members keep the input's value or the encoder's default.</summary>
public sealed record AudioSettings
{
    public AudioCodec Codec { get; init; } = AudioCodec.Aac;

    /// <summary>Target bit rate in bits per second.</summary>
    public long? BitRate { get; init; }

    public int? Channels { get; init; }

    public int? SampleRate { get; init; }
}
