using System.Text;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Tests.Interop;

public sealed class ContentProbeTests
{
    [Fact]
    public void An_hls_playlist_is_recognised_as_hls_whatever_it_is_called()
    {
        var playlist = Encoding.ASCII.GetBytes("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n");

        var (format, score) = ContentProbe.Detect(playlist);

        Assert.Equal("hls", format);
        Assert.True(score >= ContentProbe.MinimumScore);
    }

    [Fact]
    public void Random_bytes_are_not_recognised()
    {
        var noise = new byte[64 * 1024];
        new Random(1234).NextBytes(noise);

        var (format, score) = ContentProbe.Detect(noise);

        Assert.True(format is null || score < ContentProbe.MinimumScore, $"noise detected as {format} with score {score}");
    }
}
