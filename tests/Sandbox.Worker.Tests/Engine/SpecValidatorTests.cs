using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Tests.Engine;

public sealed class SpecValidatorTests
{
    private static readonly TranscodeSpec Valid = new()
    {
        InputPath = "/in.mp4",
        OutputPath = "/out.mp4",
        Container = OutputContainer.Mp4,
    };

    [Fact]
    public void A_default_spec_is_valid() => Assert.Empty(SpecValidator.Validate(Valid));

    public static TheoryData<string, TranscodeSpec> InvalidSpecs => new()
    {
        { "video.codec", Valid with { Container = OutputContainer.WebM, Video = new() { Codec = VideoCodec.H264 }, Audio = new() { Codec = AudioCodec.Opus } } },
        { "audio.codec", Valid with { Container = OutputContainer.WebM, Video = new() { Codec = VideoCodec.Vp9 }, Audio = new() { Codec = AudioCodec.Aac } } },
        { "video.codec", Valid with { Container = OutputContainer.MpegTs, Video = new() { Codec = VideoCodec.Vp9 } } },
        { "video.bitrate", Valid with { Video = new() { BitRate = -5 } } },
        { "video.crf", Valid with { Video = new() { Crf = 99 } } },
        { "video.crf", Valid with { Video = new() { Crf = 20, BitRate = 1_000_000 } } },
        { "video.width", Valid with { Video = new() { Width = 100_000 } } },
        { "video.width", Valid with { Video = new() { Width = 641 } } },
        { "video.height", Valid with { Video = new() { Height = -2 } } },
        { "video.width", Valid with { Video = new() { Width = 0, Height = 0 } } },
        { "video.fps", Valid with { Video = new() { FrameRate = new Rational(0, 1) } } },
        { "video.fps", Valid with { Video = new() { FrameRate = new Rational(1000, 1) } } },
        { "video.gop", Valid with { Video = new() { Gop = -1 } } },
        { "video.threads", Valid with { Video = new() { Threads = 1000 } } },
        { "video.preset", Valid with { Video = new() { Preset = "warp-speed" } } },
        { "video.preset", Valid with { Video = new() { Codec = VideoCodec.Av1, Preset = "14" } } },
        { "video.codec", Valid with { Video = new() { Codec = VideoCodec.Copy, Width = 640 } } },
        { "audio.bitrate", Valid with { Audio = new() { BitRate = 10_000_000 } } },
        { "audio.channels", Valid with { Audio = new() { Channels = 0 } } },
        { "audio.sample_rate", Valid with { Audio = new() { SampleRate = 1 } } },
        { "audio.codec", Valid with { Audio = new() { Codec = AudioCodec.Copy, Channels = 2 } } },
        { "video", Valid with { Video = null, Audio = null } },
        { "input", Valid with { InputPath = "" } },
        { "deadline", Valid with { Deadline = TimeSpan.Zero } },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Names_the_offending_field(string field, TranscodeSpec spec)
    {
        var violations = SpecValidator.Validate(spec);

        Assert.Contains(violations, v => v.Field == field);
    }

    [Fact]
    public void Reports_every_violation_at_once()
    {
        var spec = Valid with { Video = new() { BitRate = -1, Gop = 0 }, Audio = new() { Channels = 99 } };

        var fields = SpecValidator.Validate(spec).Select(v => v.Field).ToList();

        Assert.Equal(["video.bitrate", "video.gop", "audio.channels"], fields);
    }
}
