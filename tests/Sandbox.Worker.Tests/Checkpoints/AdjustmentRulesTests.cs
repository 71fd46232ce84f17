using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Tests.Checkpoints;

/// <summary>What an adjustment does to a chunk's encoder, and which ones a track refuses: pure rules.</summary>
public sealed class AdjustmentRulesTests
{
    private static readonly VideoSettings H264 = new() { Codec = VideoCodec.H264 };

    [Theory]
    [InlineData(30, 1, 15, 1, 2)]
    [InlineData(30, 1, 20, 1, 2)]
    [InlineData(30000, 1001, 15, 1, 2)]
    [InlineData(25, 1, 25, 2, 2)]
    [InlineData(60, 1, 14, 1, 5)]
    [InlineData(24, 1, 30, 1, 1)]
    public void A_frame_rate_cut_keeps_one_frame_in_a_whole_number(int rate, int per, int max, int maxPer, int step) =>
        Assert.Equal(step, AdjustmentRules.FrameStep(new Rational(rate, per), new VideoAdjustment { MaxFrameRate = new Rational(max, maxPer) }));

    [Theory]
    [InlineData(1920, 1080, 720, 1280, 720)]
    [InlineData(320, 240, 120, 160, 120)]
    [InlineData(640, 360, 181, 320, 180)]
    [InlineData(640, 360, 1080, 640, 360)]
    public void A_scale_keeps_the_aspect_ratio_with_even_sides(int width, int height, int max, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), AdjustmentRules.ScaledSize(width, height, new VideoAdjustment { MaxHeight = max }));

    [Fact]
    public void The_chunk_encoder_takes_the_cheaper_settings()
    {
        var codec = new EncoderSettings
        {
            Codec = null!,
            TimeBase = new Rational(1, 30),
            FrameRate = new Rational(30, 1),
            Threads = 0,
            CodecOptions = [new("preset", "medium"), new("crf", "23")],
        };
        var adjusted = AdjustmentRules.Apply(codec, VideoCodec.H264, new VideoAdjustment { MaxFrameRate = new Rational(15, 1), Preset = "veryfast", Threads = 2, Lookahead = 10 }, 640, 360);

        Assert.Equal(new Rational(30, 2), adjusted.FrameRate);
        Assert.Equal(new Rational(1, 30), adjusted.TimeBase);
        Assert.Equal((640, 360, 2), (adjusted.Width, adjusted.Height, adjusted.Threads));
        Assert.Equal([new("crf", "23"), new("preset", "veryfast"), new("rc-lookahead", "10")], adjusted.CodecOptions);
    }

    [Fact]
    public void Steps_accumulate_and_describe_themselves()
    {
        var combined = new VideoAdjustment { MaxFrameRate = new Rational(15, 1) }.Then(new VideoAdjustment { MaxHeight = 360 }).Then(new VideoAdjustment { MaxHeight = 240 });
        Assert.Equal("fps ≤ 15/1, height ≤ 240", combined.Describe());
        Assert.True(new VideoAdjustment().IsEmpty);
    }

    [Theory]
    [InlineData(VideoCodec.H264, "codec", "cannot switch codec")]
    [InlineData(VideoCodec.Av1, "height", "AV1")]
    [InlineData(VideoCodec.Av1, "preset", "AV1")]
    [InlineData(VideoCodec.H264, "bad-preset", "preset")]
    [InlineData(VideoCodec.H264, "tiny", "out of range")]
    public void Steps_a_track_cannot_take_are_refused(VideoCodec codec, string step, string expected)
    {
        var adjustment = step switch
        {
            "codec" => new VideoAdjustment { Codec = VideoCodec.Hevc },
            "height" => new VideoAdjustment { MaxHeight = 360 },
            "preset" => new VideoAdjustment { Preset = "10" },
            "bad-preset" => new VideoAdjustment { Preset = "ludicrous" },
            _ => new VideoAdjustment { MaxHeight = 8 },
        };
        Assert.Contains(expected, AdjustmentRules.Refusal(H264 with { Codec = codec }, adjustment));
    }

    [Fact]
    public void The_channel_answers_before_the_transcode_and_for_single_pass_ones()
    {
        var channel = new AdjustmentChannel();
        Assert.False(channel.Request(new VideoAdjustment { MaxHeight = 360 }).Accepted);
        channel.Start(H264, checkpointed: false, initial: null);
        Assert.Contains("not checkpointed", channel.Request(new VideoAdjustment { MaxHeight = 360 }).Detail);

        var chunked = new AdjustmentChannel();
        chunked.Start(H264, checkpointed: true, initial: null);
        Assert.Equal(new VideoAdjustment(), chunked.ForChunk(3));
        var outcome = chunked.Request(new VideoAdjustment { MaxHeight = 360 });
        Assert.Equal((true, 4), (outcome.Accepted, outcome.FromChunk));
        Assert.Equal(360, chunked.ForChunk(4).MaxHeight);
        Assert.True(chunked.Request(new VideoAdjustment { Threads = 1 }, reset: true).Accepted);
        Assert.Equal(new VideoAdjustment { Threads = 1 }, chunked.ForChunk(5));
    }
}
