using Sandbox.Worker.Engine;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Transcoding;

/// <summary>
/// A hardware encoder the supervisor chose (<c>--hardware-encoder</c>). These machines have no GPU and
/// no CUDA driver, so FFmpeg's NVENC encoder fails to open for real: that failure must come back as
/// HARDWARE_UNAVAILABLE (what the supervisor falls back to software on), with no output left behind.
/// </summary>
[Collection(ClipCollection.Name)]
public sealed class HardwareEncoderTests(ClipLibrary clips) : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("h264", "h264_nvenc")]
    [InlineData("hevc", "hevc_nvenc")]
    public async Task An_encoder_without_its_device_fails_as_hardware_unavailable(string codec, string encoder)
    {
        var output = _work.File("out.mp4");

        var result = await WorkerProcess.TranscodeAsync(clips.Mp4.Path, output, "--video-codec", codec, "--hardware-encoder", encoder, "--crf", "23");

        var error = WorkerAssert.Failed(result, WorkerExitCode.Failed, ErrorReason.HARDWARE_UNAVAILABLE);
        Assert.Contains(encoder, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "a failed hardware encode left an output");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work.Path));
    }

    [Fact]
    public async Task An_encoder_this_build_lacks_is_unavailable_not_hardware()
    {
        var result = await WorkerProcess.TranscodeAsync(clips.Mp4.Path, _work.File("out.mp4"), "--hardware-encoder", "h264_qsv_nonexistent");

        WorkerAssert.Failed(result, WorkerExitCode.Failed, ErrorReason.ENCODER_UNAVAILABLE);
    }
}
