using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Checkpoints;

/// <summary>
/// An <c>.m3u8</c> output is an HLS VOD presentation made from the chunks: one MPEG-TS segment per
/// chunk and a playlist written last. FFmpeg plays it end to end with every frame of the input.
/// </summary>
[Collection(ClipCollection.Name)]
public sealed class HlsTests(ClipLibrary clips) : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task The_playlist_plays_end_to_end_with_every_frame()
    {
        var output = _work.Subdirectory("out");
        var playlist = Path.Combine(output, "show.m3u8");
        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, playlist, "--chunk-length", "2s"));

        string[] segments = [.. Enumerable.Range(0, 5).Select(i => $"show-{i:D5}.ts")];
        Assert.Equal([.. segments, "show.m3u8"], _work.EntryNames(output));
        var text = await File.ReadAllTextAsync(playlist);
        Assert.StartsWith("#EXTM3U", text, StringComparison.Ordinal);
        Assert.EndsWith("#EXT-X-ENDLIST\n", text, StringComparison.Ordinal);
        Assert.All(segments, s => Assert.Contains($"\n{s}\n", text, StringComparison.Ordinal));

        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(playlist));
        var timeline = await PacketTimeline.ReadAsync(playlist);
        Assert.Equal(250, timeline.Video.Count);
        Assert.InRange((await FfprobeReport.ProbeAsync(playlist)).Duration ?? 0, 10 - 0.05, 10 + 0.1);
    }

    [Fact]
    public async Task A_crashed_hls_transcode_resumes_to_the_same_presentation()
    {
        var reference = Path.Combine(_work.Subdirectory("reference"), "show.m3u8");
        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, reference, "--chunk-length", "1s"));

        var playlist = Path.Combine(_work.Subdirectory("resumed"), "show.m3u8");
        string[] options = ["--checkpoints", _work.File("checkpoints"), "--chunk-length", "1s"];
        var crashed = await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, playlist, [.. options, "--allow-fault-injection", "--fault", "segv@140"]);
        Assert.True(crashed.ExitCode == 139, crashed.ToString());
        Assert.False(File.Exists(playlist));
        Assert.True(WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, playlist, options)).ResumedFrom > 0);

        var expected = await PacketTimeline.ReadAsync(reference);
        var actual = await PacketTimeline.ReadAsync(playlist);
        Assert.Equal(expected.Video, actual.Video);
        Assert.Equal(expected.Audio, actual.Audio);
        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(playlist));
    }

    [Fact]
    public async Task A_stream_copy_cannot_be_segmented()
    {
        var result = await WorkerProcess.TranscodeAsync(clips.Mp4.Path, _work.File("copy.m3u8"), "--audio-codec", "copy");
        WorkerAssert.InvalidSpec(result, "output.container");
        Assert.Empty(_work.EntryNames());
    }
}
