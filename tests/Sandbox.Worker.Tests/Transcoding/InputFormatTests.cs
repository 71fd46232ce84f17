using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Transcoding;

/// <summary>Inputs other than the plain mp4 clip: other containers, offsets, misleading names, other audio layouts.</summary>
[Collection(ClipCollection.Name)]
public sealed class InputFormatTests(ClipLibrary clips) : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task An_mpegts_input_starting_late_gives_an_output_starting_at_zero()
    {
        var output = _work.File("out.mp4");

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.MpegTs.Path, output));

        var probe = await FfprobeReport.ProbeAsync(output, countFrames: true);
        MediaAssert.StartsNearZero(probe, ClipFactory.FrameRate);
        MediaAssert.StartTimesAligned(probe, ClipFactory.FrameRate);
        MediaAssert.DurationWithinOneFrame(clips.MpegTs.Probe.Duration ?? 0, probe, ClipFactory.FrameRate);
        Assert.Equal(clips.MpegTs.Probe.Video.FrameCount, probe.Video.FrameCount);
    }

    [Fact]
    public async Task A_matroska_file_named_mp4_is_read_as_matroska()
    {
        // The content decides the demuxer, never the name.
        var disguised = _work.File("really-matroska.mp4");
        File.Copy(clips.Matroska.Path, disguised);
        var output = _work.File("out.mp4");

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(disguised, output));

        var probe = await FfprobeReport.ProbeAsync(output, countFrames: true);
        Assert.Equal(("h264", "aac"), (probe.Video.CodecName, probe.Audio.CodecName));
        Assert.Equal(clips.Matroska.Probe.Video.FrameCount, probe.Video.FrameCount);
        MediaAssert.DurationWithinOneFrame(clips.Matroska.Probe.Duration ?? 0, probe, ClipFactory.FrameRate);
        MediaAssert.StartTimesAligned(probe, ClipFactory.FrameRate);
    }

    [Theory]
    [InlineData("out.mp4", "aac", 44_100)]
    [InlineData("out.webm", "opus", 48_000)] // Opus has no 44.1 kHz mode: the nearest supported rate.
    public async Task A_mono_44100_Hz_input_keeps_one_channel(string outputName, string audioCodec, int sampleRate)
    {
        var output = _work.File(outputName);

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.Mono44100.Path, output));

        var audio = (await FfprobeReport.ProbeAsync(output)).Audio;
        Assert.Equal((audioCodec, sampleRate, 1), (audio.CodecName, audio.SampleRate, audio.Channels));
    }

    [Fact]
    public async Task Channels_and_sample_rate_can_be_changed()
    {
        var output = _work.File("out.mp4");

        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.Mono44100.Path, output, "--channels", "2", "--sample-rate", "48000"));

        var probe = await FfprobeReport.ProbeAsync(output);
        Assert.Equal((48_000, 2), (probe.Audio.SampleRate, probe.Audio.Channels));
        MediaAssert.DurationWithinOneFrame(clips.Mono44100.Probe.Duration ?? 0, probe, ClipFactory.FrameRate);
    }
}
