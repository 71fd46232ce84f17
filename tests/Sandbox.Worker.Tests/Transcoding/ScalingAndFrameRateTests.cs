using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Transcoding;

/// <summary>Resizing (with a side left at 0 to keep the aspect ratio) and frame-rate conversion.</summary>
[Collection(ClipCollection.Name)]
public sealed class ScalingAndFrameRateTests(ClipLibrary clips) : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("--width 160")] // The unset height is 0: it follows the aspect ratio.
    [InlineData("--height 120")]
    [InlineData("--width 160 --height 0")]
    [InlineData("--size 160x0")]
    [InlineData("--size 0x120")]
    public async Task A_missing_side_follows_the_input_aspect_ratio(string options)
    {
        var output = _work.File("out.mp4");

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.Mp4.Path, output, options.Split(' ')));

        var video = (await FfprobeReport.ProbeAsync(output)).Video;
        // 320x240 is 4:3, so either side fixes the other.
        Assert.Equal((160, 120), (video.Width, video.Height));
    }

    [Theory]
    [InlineData("10", 10.0)]
    [InlineData("50", 50.0)]
    [InlineData("30000/1001", 30000 / 1001.0)]
    public async Task A_new_frame_rate_changes_the_frame_count_but_keeps_the_duration(string fps, double frameRate)
    {
        var output = _work.File("out.mp4");

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.Mp4.Path, output, "--fps", fps));

        var probe = await FfprobeReport.ProbeAsync(output, countFrames: true);
        MediaAssert.FrameRate(frameRate, probe.Video);
        MediaAssert.FrameCountWithinOne((long)Math.Round(ClipFactory.Seconds * frameRate), probe.Video);
        MediaAssert.DurationWithinOneFrame(clips.Mp4.Probe.Duration ?? 0, probe, frameRate);
        MediaAssert.StartTimesAligned(probe, frameRate);
    }
}
