using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Which adjustments a session can take mid-file, and what they do to its encoder. A chunk under a
/// new adjustment starts a new encoder at its IDR frame and, for H.264/HEVC, repeats its parameter
/// sets in-band, so a new frame rate, size or preset is carried by the chunk's own keyframe in every
/// container here (VP9 keyframes carry their size themselves). Two things are refused, with a reason:
/// <list type="bullet">
/// <item>a codec switch: an mp4/mkv/webm/ts track has one codec, and a file whose second half is in
/// another codec would need a second track that players do not switch to;</item>
/// <item>resolution and encoder changes for AV1: SVT-AV1's sequence header lives out of band
/// (av1C), so a changed one cannot reach the decoder mid-track.</item>
/// </list>
/// </summary>
public static class AdjustmentRules
{
    /// <summary>Why <paramref name="adjustment"/> cannot apply to <paramref name="video"/>, or null when it can.</summary>
    public static string? Refusal(VideoSettings video, VideoAdjustment adjustment)
    {
        if (adjustment.Codec is { } codec && codec != video.Codec)
        {
            return $"a track cannot switch codec mid-file ({CodecNames.Name(video.Codec)} → {CodecNames.Name(codec)}): lower the preset, threads or lookahead instead";
        }

        if (video.Codec == VideoCodec.Av1 && (adjustment.MaxHeight is not null || adjustment.Preset is not null || adjustment.Lookahead is not null))
        {
            return "AV1 keeps its sequence header out of band, so its resolution and encoder settings cannot change mid-file: only the frame rate and threads can";
        }

        if (adjustment.MaxFrameRate is { } fps && !fps.IsValid)
        {
            return $"max fps {fps} must be positive";
        }

        if (adjustment.MaxHeight is < 16 or > SpecValidator.MaxDimension)
        {
            return $"max height {adjustment.MaxHeight} is out of range (16–{SpecValidator.MaxDimension})";
        }

        if (adjustment.Threads is < 0 or > SpecValidator.MaxThreads)
        {
            return $"threads {adjustment.Threads} is out of range (0–{SpecValidator.MaxThreads})";
        }

        if (adjustment.Lookahead is < 0 or > 250)
        {
            return $"lookahead {adjustment.Lookahead} is out of range (0–250 frames)";
        }

        if (adjustment.Preset is { } preset)
        {
            var violations = SpecValidator.Validate(new TranscodeSpec { InputPath = "-", OutputPath = "-", Container = ContainerFor(video.Codec), Video = video with { Preset = preset }, Audio = null });
            if (violations.FirstOrDefault(v => v.Field == "video.preset") is { } bad)
            {
                return $"preset: {bad.Description}";
            }
        }

        return null;
    }

    /// <summary>Keep one frame in this many: the smallest whole divisor that brings <paramref name="rate"/> to at most the adjustment's maximum.</summary>
    public static int FrameStep(Rational rate, VideoAdjustment adjustment) =>
        adjustment.MaxFrameRate is { } max && max.IsValid && rate.IsValid
            ? Math.Max(1, (int)Math.Ceiling(rate.ToDouble() / max.ToDouble() - 1e-9))
            : 1;

    /// <summary>The encoder settings of a chunk encoded under <paramref name="adjustment"/>.</summary>
    public static EncoderSettings Apply(EncoderSettings settings, VideoCodec codec, VideoAdjustment adjustment, int width, int height)
    {
        var options = settings.CodecOptions.ToList();
        if (adjustment.Preset is { } preset)
        {
            var name = codec == VideoCodec.Vp9 ? "cpu-used" : "preset";
            options.RemoveAll(o => o.Key == name);
            options.Add(new(name, preset));
        }

        if (adjustment.Lookahead is { } lookahead)
        {
            options.Add(new(codec == VideoCodec.Vp9 ? "lag-in-frames" : "rc-lookahead", lookahead.ToString()));
        }

        var step = FrameStep(settings.FrameRate, adjustment);
        return settings with
        {
            Width = width,
            Height = height,
            FrameRate = step == 1 ? settings.FrameRate : new Rational(settings.FrameRate.Numerator, settings.FrameRate.Denominator * step),
            Threads = adjustment.Threads ?? settings.Threads,
            CodecOptions = options,
        };
    }

    /// <summary>The size a frame of <paramref name="width"/>×<paramref name="height"/> is scaled to (even sides, aspect kept), or the same size.</summary>
    public static (int Width, int Height) ScaledSize(int width, int height, VideoAdjustment adjustment)
    {
        if (adjustment.MaxHeight is not { } max || max >= height)
        {
            return (width, height);
        }

        var scaledHeight = max & ~1;
        var scaledWidth = (int)Math.Round((double)width * scaledHeight / height / 2) * 2;
        return (Math.Max(2, scaledWidth), Math.Max(2, scaledHeight));
    }

    private static OutputContainer ContainerFor(VideoCodec codec) => codec is VideoCodec.Vp9 or VideoCodec.Av1 ? OutputContainer.WebM : OutputContainer.Mp4;
}
