using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Engine;

/// <summary>The probe admission control asks for: the input's video and what the spec makes of it, from real clips, without decoding.</summary>
[Collection(ClipCollection.Name)]
public sealed class InputProbeTests(ClipLibrary clips)
{
    private static TranscodeSpec Spec(string input, VideoSettings? video) =>
        new() { InputPath = input, OutputPath = "unused.mp4", Container = OutputContainer.Mp4, Video = video };

    [Fact]
    public void The_probe_reports_the_inputs_video_and_the_size_and_rate_the_spec_makes_of_it()
    {
        var source = clips.Mp4.Probe.Video;
        var probe = new Transcoder().Probe(Spec(clips.Mp4.Path, new VideoSettings { Height = 120 }), InputPolicy.Default, CancellationToken.None);

        Assert.Equal((source.Width, source.Height, "h264"), (probe.Input!.Width, probe.Input.Height, probe.InputCodec));
        Assert.Equal(120, probe.Output!.Height);
        Assert.Equal(ScaledSize.Of(source.Width!.Value, source.Height!.Value, null, 120).Width, probe.Output.Width);
        Assert.Equal(probe.Input.FrameRate, probe.Output.FrameRate);
        Assert.True(probe.Duration > TimeSpan.Zero);

        // A spec's own rate wins; no video asked for, no video reported.
        var faster = new Transcoder().Probe(Spec(clips.Mp4.Path, new VideoSettings { FrameRate = new Rational(50, 1) }), InputPolicy.Default, CancellationToken.None);
        Assert.Equal(new Rational(50, 1), faster.Output!.FrameRate);
        Assert.Null(new Transcoder().Probe(Spec(clips.Mp4.Path, null), InputPolicy.Default, CancellationToken.None).Input);
    }

    [Fact]
    public void A_picture_above_the_decoders_pixel_cap_is_refused_by_the_probe_already()
    {
        var capped = InputPolicy.Default with { Limits = new DecoderLimits(64 * 64, int.MaxValue) };

        var error = Assert.Throws<TranscodeException>(() => new Transcoder().Probe(Spec(clips.Mp4.Path, new VideoSettings()), capped, CancellationToken.None));

        Assert.Equal(ErrorReason.INPUT_LIMIT_EXCEEDED, error.Reason);
    }

    [Theory]
    [InlineData(1920, 1080, null, null, 1920, 1080)]
    [InlineData(1920, 1080, null, 720, 1280, 720)]
    [InlineData(1920, 1080, 640, null, 640, 360)]
    [InlineData(1920, 1080, 0, 0, 1920, 1080)]
    [InlineData(320, 240, null, 101, 134, 101)]
    [InlineData(1280, 720, 300, 300, 300, 300)]
    public void A_left_out_side_follows_the_other_at_the_inputs_aspect_with_an_even_size(int inWidth, int inHeight, int? width, int? height, int outWidth, int outHeight) =>
        Assert.Equal((outWidth, outHeight), ScaledSize.Of(inWidth, inHeight, width, height));
}
