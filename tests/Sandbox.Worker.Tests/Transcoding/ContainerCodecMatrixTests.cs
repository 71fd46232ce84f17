using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Transcoding;

/// <summary>
/// Every container × video codec × audio codec pair the worker accepts, transcoded from the mp4
/// clip and judged with ffprobe: right codecs, size, rate, length, and audio in sync with video.
/// </summary>
[Collection(ClipCollection.Name)]
public sealed class ContainerCodecMatrixTests(ClipLibrary clips) : IDisposable
{
    private const int Width = 160;
    private const int Height = 120;
    private const int FrameRate = 25;

    private readonly TempDirectory _work = new();

    public static TheoryData<string, string, string> ValidCombinations { get; } = Combinations(
        ("mp4", ["h264", "hevc", "vp9", "av1"], ["aac", "opus"]),
        ("webm", ["vp9", "av1"], ["opus"]),
        ("mkv", ["h264", "hevc", "vp9", "av1"], ["aac", "opus"]),
        ("mpegts", ["h264", "hevc"], ["aac", "opus"]));

    public void Dispose() => _work.Dispose();

    [Theory]
    [MemberData(nameof(ValidCombinations))]
    public async Task Transcodes_into_the_requested_container_and_codecs(string container, string videoCodec, string audioCodec)
    {
        var output = _work.File("out" + OutputContainers.Extension(container));

        var result = await WorkerProcess.TranscodeAsync(
            clips.Mp4.Path, output, "--container", container, "--video", videoCodec, "--size", $"{Width}x{Height}", "--fps", $"{FrameRate}", "--audio", audioCodec);

        WorkerAssert.Succeeded(result);
        var probe = await FfprobeReport.ProbeAsync(output, countFrames: true);
        Assert.Contains(OutputContainers.DemuxerName(container), probe.FormatName.Split(','));
        Assert.Equal(2, probe.Streams.Count);
        // The CLI's codec names are FFmpeg's codec names, which is what ffprobe prints.
        Assert.Equal(videoCodec, probe.Video.CodecName);
        Assert.Equal(audioCodec, probe.Audio.CodecName);
        Assert.Equal((Width, Height), (probe.Video.Width, probe.Video.Height));
        // AAC and Opus both take the input's 48 kHz stereo as it is.
        Assert.Equal((48_000, 2), (probe.Audio.SampleRate, probe.Audio.Channels));
        MediaAssert.FrameRate(FrameRate, probe.Video);
        MediaAssert.FrameCountWithinOne(clips.Mp4.Probe.Video.FrameCount, probe.Video);
        MediaAssert.DurationWithinOneFrame(clips.Mp4.Probe.Duration ?? 0, probe, FrameRate);
        MediaAssert.StartTimesAligned(probe, FrameRate);
    }

    private static TheoryData<string, string, string> Combinations(params (string Container, string[] Video, string[] Audio)[] rules)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (container, videoCodecs, audioCodecs) in rules)
        {
            foreach (var video in videoCodecs)
            {
                foreach (var audio in audioCodecs)
                {
                    data.Add(container, video, audio);
                }
            }
        }

        return data;
    }
}
