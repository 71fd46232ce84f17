namespace Sandbox.Worker.Interop;

/// <summary>Caps handed to every decoder (and to the probing decoders of <c>avformat_find_stream_info</c>).</summary>
/// <param name="MaxPixels">Largest picture, in pixels, a decoder may allocate (AVOption <c>max_pixels</c>).</param>
/// <param name="MaxSamples">Largest audio frame, in samples, a decoder may allocate (AVOption <c>max_samples</c>).</param>
public sealed record DecoderLimits(long MaxPixels, long MaxSamples)
{
    public static DecoderLimits Default { get; } = new(8192L * 8192, int.MaxValue);

    internal IEnumerable<KeyValuePair<string, string>> ToOptions()
    {
        yield return new("max_pixels", MaxPixels.ToString());
        yield return new("max_samples", MaxSamples.ToString());
    }
}
