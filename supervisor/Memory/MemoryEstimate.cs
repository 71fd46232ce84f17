using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;

namespace Sandbox.Supervisor.Memory;

/// <summary>
/// A session's expected peak memory, from its probed input and the adjustment it would run under:
/// <c>base + input pixels × decoder factor + output pixels × encoder factor</c> (bytes; factors in
/// bytes per pixel, by codec). The input's pixels are already within the decoder's pixel cap (the
/// probe refuses larger pictures), so a header cannot make the estimate arbitrarily large.
/// </summary>
public static class MemoryEstimate
{
    /// <param name="codec">The video codec the session encodes to (its container's default when the spec leaves it open).</param>
    /// <param name="adjustment">The ladder rung's adjustment, or null for the spec's own settings.</param>
    public static long Bytes(ProbeResult probe, VideoCodec codec, Adjustment? adjustment, EstimateOptions options)
    {
        // A copied stream is neither decoded nor encoded: its packets pass through.
        if (probe.Input is not { } input || probe.Output is not { } output || codec == VideoCodec.Copy)
        {
            return options.BaseBytes;
        }

        var decode = (double)input.Width * input.Height * options.DecodeBytesPerPixel.GetValueOrDefault(probe.InputCodec, options.OtherDecodeBytesPerPixel);

        var (width, height) = ((double)output.Width, (double)output.Height);
        if (adjustment is { HasMaxHeight: true } && adjustment.MaxHeight < height)
        {
            width *= adjustment.MaxHeight / height;
            height = adjustment.MaxHeight;
        }

        var perPixel = adjustment is { Preset.Length: > 0 }
            ? options.CheapEncodeBytesPerPixel
            : options.EncodeBytesPerPixel.GetValueOrDefault(Name(codec), options.OtherEncodeBytesPerPixel);
        return options.BaseBytes + (long)(decode + width * height * perPixel);
    }

    /// <summary>The worker's cgroup limits for an estimate: headroom over it, at least the minimum, never above the profile's.</summary>
    /// <param name="profileMax">The profile's memory.max in bytes (0: none).</param>
    /// <param name="profileHigh">The profile's memory.high in bytes (0: none).</param>
    public static (long High, long Max) Limits(long estimate, long profileMax, long profileHigh, EstimateOptions options)
    {
        var max = Math.Max(options.MinimumLimitBytes, (long)(estimate * options.MaxHeadroom));
        if (profileMax > 0)
        {
            max = Math.Min(max, profileMax);
        }

        var high = Math.Min(max, Math.Max(options.MinimumLimitBytes, (long)(estimate * options.HighHeadroom)));
        if (profileHigh > 0)
        {
            high = Math.Min(high, profileHigh);
        }

        return (high, max);
    }

    private static string Name(VideoCodec codec) => codec switch
    {
        VideoCodec.Hevc => "hevc",
        VideoCodec.Vp9 => "vp9",
        VideoCodec.Av1 => "av1",
        _ => "h264",
    };
}
