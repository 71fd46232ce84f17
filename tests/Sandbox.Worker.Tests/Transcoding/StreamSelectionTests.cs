using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Transcoding;

/// <summary>Which streams end up in the output: dropped on request, absent from the input, or copied untouched.</summary>
[Collection(ClipCollection.Name)]
public sealed class StreamSelectionTests(ClipLibrary clips) : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task No_audio_keeps_only_the_video()
    {
        var output = _work.File("out.mp4");

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.Mp4.Path, output, "--no-audio"));

        var probe = await FfprobeReport.ProbeAsync(output);
        Assert.Equal("h264", Assert.Single(probe.Streams).CodecName);
    }

    [Fact]
    public async Task No_video_keeps_only_the_audio()
    {
        var output = _work.File("out.mp4");

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.Mp4.Path, output, "--no-video"));

        var probe = await FfprobeReport.ProbeAsync(output);
        Assert.Equal("aac", Assert.Single(probe.Streams).CodecName);
    }

    [Fact]
    public async Task An_audio_only_input_gives_an_audio_only_output()
    {
        var output = _work.File("out.mp4");

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.Wav.Path, output));

        var probe = await FfprobeReport.ProbeAsync(output);
        Assert.Equal("aac", Assert.Single(probe.Streams).CodecName);
        MediaAssert.DurationWithinOneFrame(clips.Wav.Probe.Duration ?? 0, probe, ClipFactory.FrameRate);
    }

    [Fact]
    public async Task A_video_only_input_gives_a_video_only_output()
    {
        var output = _work.File("out.mp4");

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.VideoOnly.Path, output));

        var probe = await FfprobeReport.ProbeAsync(output, countFrames: true);
        var video = Assert.Single(probe.Streams);
        Assert.Equal("h264", video.CodecName);
        Assert.Equal(clips.VideoOnly.Probe.Video.FrameCount, video.FrameCount);
    }

    [Theory]
    [InlineData("mkv")]
    [InlineData("mpegts")]
    public async Task Copy_remuxes_both_streams_without_reencoding(string container)
    {
        var output = _work.File("out" + OutputContainers.Extension(container));

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.Mp4.Path, output, "--video", "copy", "--audio", "copy"));

        var probe = await FfprobeReport.ProbeAsync(output, countFrames: true);
        Assert.Contains(OutputContainers.DemuxerName(container), probe.FormatName.Split(','));
        Assert.Equal(2, probe.Streams.Count);
        Assert.Equal(("h264", ClipFactory.Width, ClipFactory.Height), (probe.Video.CodecName, probe.Video.Width, probe.Video.Height));
        Assert.Equal(clips.Mp4.Probe.Video.FrameCount, probe.Video.FrameCount);
        Assert.Equal(("aac", 48_000, 2), (probe.Audio.CodecName, probe.Audio.SampleRate, probe.Audio.Channels));
        MediaAssert.DurationWithinOneFrame(clips.Mp4.Probe.Duration ?? 0, probe, ClipFactory.FrameRate);
        MediaAssert.StartTimesAligned(probe, ClipFactory.FrameRate);
    }
}
