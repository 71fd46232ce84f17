using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Builds the video chain: <c>scale</c> (when the size changes) → <c>fps</c> (constant output rate,
/// as ffmpeg's default for these muxers) → <c>format</c> (a pixel format the encoder takes), and
/// the encoder configured from what the chain actually produces.
/// </summary>
internal static class VideoPlanner
{
    /// <summary>Used when neither the spec nor the input says how many frames per second to make.</summary>
    public static readonly Rational FallbackFrameRate = new(25, 1);

    /// <param name="inBandHeaders">
    /// For a chunked transcode: repeat H.264/HEVC parameter sets at every keyframe, as well as in the
    /// global header, so a chunk encoded under an adjustment (new size, rate or preset) carries its
    /// own; and make forced keyframes IDR frames, so a chunk never refers to the one before.
    /// </param>
    public static EncodingPlan Plan(MediaInput input, MediaStreamInfo stream, VideoSettings video, CodecInfo codec, bool globalHeader, DecoderLimits limits, bool inBandHeaders = false)
    {
        var decoder = Decoder.Open(input, stream, limits);
        FilterGraph? graph = null;
        try
        {
            if (decoder.Width <= 0 || decoder.Height <= 0 || decoder.PixelFormat < 0)
            {
                throw new TranscodeException(
                    ErrorReason.INPUT_CORRUPT,
                    $"the {stream.CodecName} video stream has no usable picture size or pixel format (the decoder rejected every frame it probed: corrupt data, or pictures above the pixel cap)");
            }

            var frameRate = video.FrameRate ?? (stream.FrameRate.IsValid ? stream.FrameRate : FallbackFrameRate);
            var pixelFormat = codec.PixelFormats.Count == 0 || codec.PixelFormats.Contains(decoder.PixelFormat)
                ? decoder.PixelFormat
                : codec.PixelFormats[0];
            var chain = new List<FilterSpec>();
            if (ScaleArguments(video, decoder) is { } scale)
            {
                chain.Add(new FilterSpec("scale", scale));
            }

            chain.Add(new FilterSpec("fps", frameRate.ToString()));
            chain.Add(new FilterSpec("format", CodecInfo.PixelFormatName(pixelFormat)));
            graph = FilterGraph.CreateVideo(decoder, stream.TimeBase, chain);

            var settings = new EncoderSettings
            {
                Codec = codec,
                TimeBase = graph.OutputTimeBase,
                Width = graph.OutputWidth,
                Height = graph.OutputHeight,
                PixelFormat = graph.OutputFormat,
                FrameRate = graph.OutputFrameRate,
                SampleAspectRatio = graph.OutputSampleAspectRatio,
                BitRate = video.BitRate,
                GopSize = video.Gop,
                Threads = video.Threads,
                GlobalHeader = globalHeader,
                CodecOptions = CodecOptions(video, inBandHeaders),
            };
            var encoder = Encoder.Open(settings);
            var description = $"video: {stream.CodecName} {decoder.Width}x{decoder.Height} → {codec.Name} {graph.OutputWidth}x{graph.OutputHeight} {CodecInfo.PixelFormatName(graph.OutputFormat)} {graph.OutputFrameRate} fps";
            return new EncodingPlan(decoder, graph, encoder, settings, description);
        }
        catch (FFmpegException e) when (video.HardwareEncoder is not null)
        {
            // The supervisor falls back to software (hardware PREFERRED) or fails the session (REQUIRED).
            graph?.Dispose();
            decoder.Dispose();
            throw new TranscodeException(ErrorReason.HARDWARE_UNAVAILABLE, $"the hardware encoder {codec.Name} could not be opened: {e.Message}", e);
        }
        catch
        {
            graph?.Dispose();
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>Arguments of the <c>scale</c> filter, or null when the size stays. -2 keeps the aspect ratio with an even size.</summary>
    private static string? ScaleArguments(VideoSettings video, Decoder decoder)
    {
        if (video.Width is null && video.Height is null)
        {
            return null;
        }

        // A side left out (or 0) follows the other one at the input's aspect ratio.
        var width = video.Width is null or 0 ? -2 : video.Width.Value;
        var height = video.Height is null or 0 ? -2 : video.Height.Value;
        return width == decoder.Width && height == decoder.Height ? null : $"w={width}:h={height}:flags=bicubic";
    }

    private static List<KeyValuePair<string, string>> CodecOptions(VideoSettings video, bool inBandHeaders)
    {
        if (video.HardwareEncoder is not null)
        {
            return HardwareCodecOptions(video, inBandHeaders);
        }

        var options = new List<KeyValuePair<string, string>>();
        if (video.Preset is { } preset)
        {
            options.Add(new(video.Codec == VideoCodec.Vp9 ? "cpu-used" : "preset", preset));
        }

        if (video.Crf is { } crf)
        {
            options.Add(new("crf", crf.ToString()));
            if (video.Codec == VideoCodec.Vp9 && video.BitRate is null)
            {
                // libvpx treats CRF as a cap on a bit rate unless the bit rate is 0 (constant quality).
                options.Add(new("b", "0"));
            }
        }

        if (video.Codec == VideoCodec.Hevc)
        {
            // x265 prints its own banner and statistics to stderr unless told not to.
            options.Add(new("x265-params", inBandHeaders ? "log-level=error:repeat-headers=1" : "log-level=error"));
        }
        else if (video.Codec == VideoCodec.H264 && inBandHeaders)
        {
            options.Add(new("x264-params", "repeat-headers=1"));
        }

        if (inBandHeaders && video.Codec is VideoCodec.H264 or VideoCodec.Hevc)
        {
            // A keyframe forced at a chunk cut must be an IDR frame, so no frame after it refers to one before.
            options.Add(new("forced-idr", "1"));
        }

        return options;
    }

    /// <summary>
    /// NVENC's options: software presets (x264 names, VP9 cpu-used) mean nothing to it and would fail
    /// the open, so they are left to its default; CRF becomes its constant-quality <c>cq</c>.
    /// </summary>
    private static List<KeyValuePair<string, string>> HardwareCodecOptions(VideoSettings video, bool inBandHeaders)
    {
        var options = new List<KeyValuePair<string, string>>();
        if (video.Crf is { } crf)
        {
            options.Add(new("cq", crf.ToString()));
        }

        if (inBandHeaders)
        {
            options.Add(new("forced-idr", "1"));
        }

        return options;
    }
}
