using System.Diagnostics;

namespace Sandbox.Worker.Tests.Media;

/// <summary>
/// Checks the test helpers themselves, without the worker: if these fail, worker test failures say
/// nothing about the worker.
/// </summary>
[Collection(ClipCollection.Name)]
public sealed class MediaHelperTests(ClipLibrary clips) : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public void Audio_and_video_clips_have_both_streams_at_the_generated_size_rate_and_length()
    {
        foreach (var clip in new[] { clips.Mp4, clips.Matroska, clips.MpegTs, clips.Mono44100 })
        {
            var video = clip.Probe.Video;
            Assert.Equal((ClipFactory.Width, ClipFactory.Height), (video.Width, video.Height));
            Assert.Equal<double?>(ClipFactory.FrameRate, video.RealFrameRate?.Value);
            Assert.Equal<long?>((long)(ClipFactory.Seconds * ClipFactory.FrameRate), video.FrameCount);
            Assert.NotNull(clip.Probe.Duration);
            Assert.InRange(clip.Probe.Duration.Value, ClipFactory.Seconds - 0.05, ClipFactory.Seconds + 0.1);
            Assert.Single(clip.Probe.AudioStreams);
        }
    }

    [Fact]
    public void Clips_have_the_layouts_their_names_promise()
    {
        Assert.Equal((48_000, 2), (clips.Mp4.Probe.Audio.SampleRate, clips.Mp4.Probe.Audio.Channels));
        Assert.Equal((44_100, 1), (clips.Mono44100.Probe.Audio.SampleRate, clips.Mono44100.Probe.Audio.Channels));
        Assert.Equal("opus", clips.Matroska.Probe.Audio.CodecName);
        Assert.Empty(clips.Wav.Probe.VideoStreams);
        Assert.Equal("pcm_s16le", clips.Wav.Probe.Audio.CodecName);
        Assert.Empty(clips.VideoOnly.Probe.AudioStreams);
        Assert.Equal("h264", clips.VideoOnly.Probe.Video.CodecName);
        Assert.InRange(clips.LongMp4.Probe.Duration ?? 0, 9.9, 10.1);
    }

    [Fact]
    public void The_mpegts_clip_starts_well_after_zero()
    {
        Assert.InRange(clips.MpegTs.Probe.StartTime ?? 0, 1.0, 2.0);
        Assert.InRange(clips.MpegTs.Probe.Video.StartTime ?? 0, 1.0, 2.0);
    }

    [Fact]
    public async Task The_avi_patcher_rewrites_the_size_everywhere_ffprobe_reads_it()
    {
        var tiny = clips.TinyMjpegAvi.Probe.Video;
        Assert.Equal(("mjpeg", 16, 16), (tiny.CodecName, tiny.Width, tiny.Height));
        var patched = _work.File("patched.avi");

        // A size FFmpeg accepts, so ffprobe reports it; 16384x16384 is refused by libavutil's
        // image-size check before ffprobe could print it.
        MjpegAviPatcher.Patch(clips.TinyMjpegAvi.Path, patched, 1024, 768);

        var probe = await FfprobeReport.ProbeAsync(patched);
        Assert.Equal((1024, 768), (probe.Video.Width, probe.Video.Height));
    }

    [Fact]
    public void The_truncated_mp4_keeps_the_ftyp_box_but_loses_the_moov_box_at_the_end()
    {
        var truncated = File.ReadAllBytes(MaliciousInputs.TruncatedMp4(_work.Path, clips.Mp4));

        Assert.Equal("ftyp"u8.ToArray(), truncated[4..8]);
        Assert.Equal(-1, truncated.AsSpan().IndexOf("moov"u8));
    }

    [Fact]
    public async Task A_hung_child_is_killed_at_its_timeout()
    {
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<TimeoutException>(() => ChildProcess.RunAsync("sleep", ["60"], TimeSpan.FromSeconds(1)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the timeout took {clock.Elapsed}");
    }
}
