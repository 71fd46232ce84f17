using Sandbox.Worker.Engine;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Checkpoints;

/// <summary>
/// Each adjustment step handed to a resumed worker changes the chunks still to be made, and the
/// assembled output still decodes end to end with the input's duration, in every container.
/// (Applied live, through the worker's Adjust call, in the supervisor's tests.)
/// </summary>
[Collection(ClipCollection.Name)]
public sealed class AdjustmentTests(ClipLibrary clips) : IDisposable
{
    private readonly TempDirectory _work = new();

    public static TheoryData<string, string, string[]> Steps
    {
        get
        {
            var steps = new TheoryData<string, string, string[]>();
            foreach (var (extension, options) in new (string, string[])[] { ("mp4", []), ("mkv", ["--audio-codec", "opus"]), ("ts", []), ("webm", ["--preset", "8"]) })
            {
                var encoder = extension == "webm" ? "preset=8,threads=1,lookahead=0" : "preset=ultrafast,threads=1,lookahead=0";
                foreach (var step in new[] { "fps=12.5", "height=120", encoder, $"fps=12.5,height=120,{encoder}" })
                {
                    steps.Add(extension, step, options);
                }
            }

            return steps;
        }
    }

    public void Dispose() => _work.Dispose();

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_step_handed_to_a_resumed_worker_yields_a_fully_decodable_output(string extension, string step, string[] options)
    {
        var output = _work.File($"adjusted.{extension}");
        var checkpoints = _work.File("checkpoints");
        string[] chunked = ["--checkpoints", checkpoints, "--chunk-length", "1s", .. options];
        var crashed = await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, output, [.. chunked, "--allow-fault-injection", "--fault", "kill@120"]);
        Assert.True(crashed.ExitCode == 137, crashed.ToString());

        var resumed = WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, output, [.. chunked, "--adjust", step]));
        Assert.True(resumed.ResumedFrom >= 1, $"resumed from {resumed.ResumedFrom}");

        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(output));
        var probe = await FfprobeReport.ProbeAsync(output);
        Assert.InRange(probe.Duration ?? 0, 10 - 0.05, 10 + 0.1);
        var frames = await PacketTimeline.FrameSizesAsync(output);
        var last = frames[^1];
        if (step.Contains("height=120", StringComparison.Ordinal))
        {
            Assert.Equal((ClipFactory.Width, ClipFactory.Height), frames[0]);
            Assert.Equal((160, 120), last);
        }
        else
        {
            Assert.All(frames, f => Assert.Equal((ClipFactory.Width, ClipFactory.Height), f));
        }

        // 250 frames at 25 fps; from the resume point on, only the even-numbered ones when the rate is halved.
        var resumedFrame = (int)Math.Round(resumed.ResumedFrom!.Value * ClipFactory.FrameRate);
        var expected = step.Contains("fps=", StringComparison.Ordinal) ? resumedFrame + Enumerable.Range(resumedFrame, 250 - resumedFrame).Count(n => n % 2 == 0) : 250;
        Assert.Equal(expected, frames.Count);
    }

    [Theory]
    [InlineData("codec=hevc", "", "cannot switch codec")]
    [InlineData("height=120", "--video-codec av1", "AV1")]
    [InlineData("preset=warp-speed", "", "preset")]
    public async Task Steps_a_track_cannot_take_are_refused_with_the_reason(string step, string codec, string expected)
    {
        string[] options = [.. codec.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--checkpoints", _work.File("checkpoints"), "--adjust", step];
        var error = WorkerAssert.InvalidSpec(await WorkerProcess.TranscodeAsync(clips.Mp4.Path, _work.File("out.mp4"), options), "adjustment");
        Assert.Contains(expected, error.Violations.Single(v => v.Field == "adjustment").Description);
    }
}
