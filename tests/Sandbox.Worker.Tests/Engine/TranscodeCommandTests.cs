using Sandbox.Worker.Cli;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Tests.Engine;

public sealed class TranscodeCommandTests
{
    [Fact]
    public void The_shorthand_sets_codec_bit_rate_and_size()
    {
        var command = TranscodeCommand.Parse(["in.mp4", "out.mp4", "--video", "h264:1500k:1280x720", "--audio", "aac:128k", "--fps", "30000/1001"]);

        Assert.Equal(OutputContainer.Mp4, command.Spec.Container);
        Assert.Equal(new VideoSettings { Codec = VideoCodec.H264, BitRate = 1_500_000, Width = 1280, Height = 720, FrameRate = new Rational(30000, 1001) }, command.Spec.Video);
        Assert.Equal(new AudioSettings { Codec = AudioCodec.Aac, BitRate = 128_000 }, command.Spec.Audio);
    }

    [Fact]
    public void The_container_follows_the_extension_and_picks_its_default_codecs()
    {
        var command = TranscodeCommand.Parse(["in.mp4", "out.webm"]);

        Assert.Equal(OutputContainer.WebM, command.Spec.Container);
        Assert.Equal(VideoCodec.Vp9, command.Spec.Video!.Codec);
        Assert.Equal(AudioCodec.Opus, command.Spec.Audio!.Codec);
    }

    [Fact]
    public void Streams_can_be_dropped_and_limits_set()
    {
        var command = TranscodeCommand.Parse(["in.mp4", "out.mkv", "--no-audio", "--deadline", "90s", "--input-root", "/media", "--max-pixels", "1000000"]);

        Assert.Null(command.Spec.Audio);
        Assert.Equal(TimeSpan.FromSeconds(90), command.Spec.Deadline);
        Assert.Equal(["/media"], command.Policy.InputRoots);
        Assert.Equal(1_000_000, command.Policy.Limits.MaxPixels);
    }

    [Theory]
    [InlineData("video.bitrate", "--video-bitrate", "fast")]
    [InlineData("video.codec", "--video", "mpeg2")]
    [InlineData("container", "--container", "avi")]
    [InlineData("deadline", "--deadline", "soon")]
    [InlineData("arguments", "--bogus", "1")]
    public void A_bad_option_is_a_field_violation(string field, string option, string value)
    {
        var error = Assert.Throws<TranscodeException>(() => TranscodeCommand.Parse(["in.mp4", "out.mp4", option, value]));

        Assert.Equal(ErrorReason.INVALID_SPEC, error.Reason);
        Assert.Contains(error.Violations, v => v.Field == field);
    }

    [Theory]
    [InlineData("250ms", 0.25)]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("00:10:00", 600)]
    [InlineData("2.5", 2.5)]
    public void Durations_take_units_or_clock_form(string text, double seconds)
    {
        Assert.True(CommandLineValues.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }
}
