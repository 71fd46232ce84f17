using Sandbox.Worker.Engine;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Transcoding;

/// <summary>
/// What a caller sees besides the media: progress lines while it runs, and an output that appears
/// whole, in one step, or not at all (the worker muxes into a temp file next to it and renames).
/// </summary>
[Collection(ClipCollection.Name)]
public sealed class ProgressAndOutputFileTests(ClipLibrary clips) : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_transcode_of_several_seconds_reports_progress()
    {
        // VP9 at 320x240 runs at a few times real time on 2 cores, so 10 s of input takes seconds.
        var result = await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, _work.File("out.webm"));

        var completed = WorkerAssert.Succeeded(result);
        Assert.True(result.ProgressLines > 0, $"no progress lines\n{result}");
        Assert.Equal(clips.LongMp4.Probe.Video.FrameCount, completed.Frames);
    }

    [Fact]
    public async Task Success_leaves_the_output_and_nothing_else()
    {
        var output = _work.File("out.mp4");

        var completed = WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.Mp4.Path, output));

        Assert.Equal(output, completed.Output);
        Assert.Equal(["out.mp4"], _work.EntryNames());
    }

    [Fact]
    public async Task A_failure_midway_leaves_neither_output_nor_temp_file()
    {
        // The deadline passes while the VP9 encoder is busy, after the output has been opened.
        var result = await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, _work.File("out.webm"), "--deadline", "300ms");

        WorkerAssert.Failed(result, WorkerExitCode.Failed, ErrorReason.DEADLINE_EXCEEDED);
        Assert.Empty(_work.EntryNames());
    }
}
