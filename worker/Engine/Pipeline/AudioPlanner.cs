using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Builds the audio chain: <c>aformat</c> to the sample format, rate and layout the encoder takes
/// (libavfilter inserts the resampler), then frames cut to the encoder's frame size.
/// </summary>
internal static class AudioPlanner
{
    /// <param name="countSamples">Make timestamps sample counts (a chunked transcode cuts its audio at exact samples).</param>
    /// <param name="startSample">Cut every sample before this one, sample-exact (a resumed chunked transcode, so its frames land on the grid of the run it continues).</param>
    public static EncodingPlan Plan(
        MediaInput input, MediaStreamInfo stream, AudioSettings audio, CodecInfo codec, bool globalHeader, DecoderLimits limits, bool countSamples = false, long? startSample = null)
    {
        var decoder = Decoder.Open(input, stream, limits);
        FilterGraph? graph = null;
        try
        {
            var sampleFormat = codec.SampleFormats.Count == 0 || codec.SampleFormats.Contains(decoder.SampleFormat)
                ? decoder.SampleFormat
                : codec.SampleFormats[0];
            var sampleRate = ChooseSampleRate(audio.SampleRate ?? decoder.SampleRate, codec.SampleRates);
            var layout = ChannelLayouts.Default(audio.Channels ?? Math.Max(1, stream.Channels));
            var chain = new List<FilterSpec>
            {
                new("aformat", $"sample_fmts={CodecInfo.SampleFormatName(sampleFormat)}:sample_rates={sampleRate}:channel_layouts={layout}"),
            };
            if (countSamples)
            {
                chain.Add(new FilterSpec("asettb", $"expr=1/{sampleRate}"));
            }

            if (startSample is { } start)
            {
                chain.Add(new FilterSpec("atrim", $"start_pts={start}"));
            }

            graph = FilterGraph.CreateAudio(decoder, stream.TimeBase, chain);

            var settings = new EncoderSettings
            {
                Codec = codec,
                TimeBase = new Rational(1, graph.OutputSampleRate),
                SampleRate = graph.OutputSampleRate,
                SampleFormat = graph.OutputFormat,
                ChannelLayout = layout,
                BitRate = audio.BitRate,
                GlobalHeader = globalHeader,
            };
            var encoder = Encoder.Open(settings);
            if (!codec.AcceptsAnyFrameSize && encoder.FrameSize > 0)
            {
                graph.SetOutputFrameSize(encoder.FrameSize);
            }

            var description = $"audio: {stream.CodecName} {decoder.SampleRate} Hz {decoder.ChannelLayout} → {codec.Name} {graph.OutputSampleRate} Hz {layout}";
            return new EncodingPlan(decoder, graph, encoder, settings, description);
        }
        catch
        {
            graph?.Dispose();
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>The wanted rate when the encoder takes it, else the nearest rate above it, else its highest.</summary>
    internal static int ChooseSampleRate(int wanted, IReadOnlyList<int> supported)
    {
        if (supported.Count == 0 || supported.Contains(wanted))
        {
            return wanted;
        }

        var above = supported.Where(rate => rate > wanted).DefaultIfEmpty(supported.Max()).Min();
        return above;
    }
}
