using Sandbox.Worker.Engine;

namespace Sandbox.Worker.Tests.Engine;

public sealed class InputPolicyTests
{
    [Theory]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2", true)]
    [InlineData("matroska,webm", true)]
    [InlineData("mpegts", true)]
    [InlineData("hls", false)]
    [InlineData("concat", false)]
    [InlineData("image2", false)]
    [InlineData("dash", false)]
    [InlineData("subfile", false)]
    public void The_default_allowlist_admits_plain_containers_and_refuses_ones_that_open_other_files(string demuxer, bool allowed) =>
        Assert.Equal(allowed, InputPolicy.Default.AllowsFormat(demuxer));
}
