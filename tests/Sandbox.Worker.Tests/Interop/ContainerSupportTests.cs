using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Tests.Interop;

/// <summary>The engine's container/codec table must never promise a pair that FFmpeg's muxers refuse.</summary>
public sealed class ContainerSupportTests
{
    public static TheoryData<OutputContainer> Containers => new(Enum.GetValues<OutputContainer>());

    [Theory]
    [MemberData(nameof(Containers))]
    public void Every_codec_the_table_allows_is_accepted_by_the_muxer(OutputContainer container)
    {
        var muxer = ContainerRules.MuxerName(container);
        var encoders = ContainerRules.VideoCodecs(container).Select(CodecNames.Encoder)
            .Concat(ContainerRules.AudioCodecs(container).Select(CodecNames.Encoder));

        foreach (var encoder in encoders)
        {
            var codec = CodecCatalog.FindEncoder(encoder);
            Assert.NotNull(codec);
            Assert.True(ContainerSupport.CanStore(muxer, codec.CodecId), $"{muxer} refuses {encoder}'s codec");
        }
    }

    [Fact]
    public void Webm_refuses_h264_and_aac()
    {
        Assert.False(ContainerSupport.CanStore("webm", CodecCatalog.FindEncoder("libx264")!.CodecId));
        Assert.False(ContainerSupport.CanStore("webm", CodecCatalog.FindEncoder("aac")!.CodecId));
    }

    [Fact]
    public void The_capability_probe_finds_the_engines_encoders_and_reports_missing_ones_as_absent()
    {
        foreach (var name in new[] { "libx264", "libx265", "libvpx-vp9", "libsvtav1", "aac", "libopus" })
        {
            Assert.NotNull(CodecCatalog.FindEncoder(name));
        }

        Assert.Null(CodecCatalog.FindEncoder("no-such-encoder"));
        Assert.Contains(CodecCatalog.All, c => c.IsDecoder && c.Name == "h264");
        Assert.Contains("mpegts", CodecCatalog.Muxers());
        Assert.Contains("hls", CodecCatalog.Demuxers());
        Assert.NotNull(CodecCatalog.HardwareDeviceTypes());
    }
}
