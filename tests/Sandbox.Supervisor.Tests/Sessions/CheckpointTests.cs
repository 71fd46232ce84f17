using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// Sessions are checkpointed by default: progress in Watch and Get says how many chunks are durable
/// and up to which media time; the chunks go away with the session unless it asked to keep them.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class CheckpointTests(TestClips clips, SupervisorFixture fixture) : IClassFixture<SupervisorFixture>
{
    private SupervisorProcess Supervisor => fixture.Supervisor;

    private SessionsClient Client => Supervisor.Sessions;

    [Fact]
    public async Task Watch_and_Get_show_the_durable_chunks()
    {
        var output = Supervisor.Output("checkpointed.mp4");
        var spec = Specs.Mp4(Supervisor.AddInput(clips.Long), output);
        spec.Checkpoints = new CheckpointSettings { ChunkLength = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)) };

        var submitted = await SessionStreams.SubmitAsync(Client, spec);
        var events = await SessionStreams.WatchToEndAsync(Client, submitted.Id);
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, SessionStreams.Describe(events));

        // Live progress reports the count growing with the durable time, never ahead of the output time.
        var reports = events.Where(e => e.Progress?.Checkpoints is not null).Select(e => e.Progress).ToList();
        Assert.NotEmpty(reports);
        Assert.All(reports, p => Assert.True(p.Checkpoints.DurableTime.ToTimeSpan() <= p.OutputTime.ToTimeSpan() + TimeSpan.FromSeconds(0.1)));
        Assert.True(reports.Select(p => p.Checkpoints.Count).SequenceEqual(reports.Select(p => p.Checkpoints.Count).Order()), "the chunk count went backwards");

        var session = await SessionStreams.GetAsync(Client, submitted.Id);
        Assert.Equal((int)(TestClips.LongSeconds / 2), session.Progress.Checkpoints.Count);
        Assert.InRange(session.Progress.Checkpoints.DurableTime.ToTimeSpan().TotalSeconds, TestClips.LongSeconds - 0.05, TestClips.LongSeconds + 0.1);
        Assert.Null(session.Progress.Checkpoints.ResumedFrom);

        Assert.InRange((await FfprobeReport.ProbeAsync(output)).Duration ?? 0, TestClips.LongSeconds - 0.1, TestClips.LongSeconds + 0.2);
        Assert.False(Directory.Exists(output + ".chunks"));
        Assert.DoesNotContain(DirectoryEntries.Of(Supervisor.OutputRoot), name => name.StartsWith('.'));
    }

    [Fact]
    public async Task A_session_that_keeps_its_chunks_finds_them_beside_the_output()
    {
        var output = Supervisor.Output("kept.mp4");
        var spec = Specs.Mp4(Supervisor.AddInput(clips.Short), output);
        spec.Checkpoints = new CheckpointSettings { ChunkLength = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)), Keep = true };

        var submitted = await SessionStreams.SubmitAsync(Client, spec);
        Assert.Equal(SessionState.Completed, (await SessionStreams.WatchToEndAsync(Client, submitted.Id))[^1].StateChanged?.State);

        var kept = output + ".chunks";
        Assert.Equal(["chunk-00000.mp4", "chunk-00001.mp4", "manifest.json"], DirectoryEntries.Of(kept).Order());
        Assert.Contains($"\"session\": \"{submitted.Id}\"", await File.ReadAllTextAsync(Path.Combine(kept, "manifest.json")));
    }

    [Fact]
    public async Task Stream_copy_and_disabled_sessions_run_in_one_pass()
    {
        var copy = Specs.Mp4(Supervisor.AddInput(clips.Short), Supervisor.Output("copied.mp4"));
        copy.Audio.Codec = AudioCodec.Copy;
        var disabled = Specs.Mp4(Supervisor.AddInput(clips.Short), Supervisor.Output("single-pass.mp4"));
        disabled.Checkpoints = new CheckpointSettings { Disabled = true };

        foreach (var spec in new[] { copy, disabled })
        {
            var submitted = await SessionStreams.SubmitAsync(Client, spec);
            Assert.Equal(SessionState.Completed, (await SessionStreams.WatchToEndAsync(Client, submitted.Id))[^1].StateChanged?.State);
            Assert.Null((await SessionStreams.GetAsync(Client, submitted.Id)).Progress.Checkpoints);
        }
    }

    public static TheoryData<string> LiveSteps => ["fps", "height", "encoder"];

    [Theory]
    [MemberData(nameof(LiveSteps))]
    public async Task A_running_session_adjusted_live_takes_the_step_at_its_next_chunk(string step)
    {
        var output = Supervisor.Output($"adjusted-live-{step}.webm");
        var spec = Specs.SlowWebm(Supervisor.AddInput(clips.Long), output);
        spec.Checkpoints = new CheckpointSettings { ChunkLength = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) };
        var submitted = await SessionStreams.SubmitAsync(Client, spec);
        await SessionStreams.WaitForProgressAsync(Client, submitted.Id);

        // A codec switch is refused with the reason; the step itself is taken.
        var refused = await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition,
            ErrorReason.AdjustmentRefused,
            () => Client.AdjustAsync(new AdjustRequest { SessionId = submitted.Id, Adjustment = new Adjustment { Codec = VideoCodec.Av1 } }).ResponseAsync);
        Assert.Contains("cannot switch codec", refused.Status.Detail);
        var (adjustment, inForce) = step switch
        {
            "fps" => (new Adjustment { MaxFps = new Rational { Numerator = 25, Denominator = 2 } }, "fps ≤ 25/2"),
            "height" => (new Adjustment { MaxHeight = 120 }, "height ≤ 120"),
            _ => (new Adjustment { Preset = "8", Threads = 1, Lookahead = 0 }, "preset 8, threads 1, lookahead 0"),
        };
        var adjusted = await Client.AdjustAsync(new AdjustRequest { SessionId = submitted.Id, Adjustment = adjustment, Reason = "test: memory pressure" });
        Assert.Contains("from chunk", adjusted.Detail);
        Assert.Equal(inForce, adjusted.Session.Adjustment);

        var events = await SessionStreams.WatchToEndAsync(Client, submitted.Id);
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, SessionStreams.Describe(events));
        Assert.Equal("test: memory pressure", Assert.Single(events, e => e.Downgraded is not null).Downgraded.Reason);

        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(output));
        Assert.InRange((await FfprobeReport.ProbeAsync(output)).Duration ?? 0, TestClips.LongSeconds - 0.1, TestClips.LongSeconds + 0.2);
        var frames = await PacketTimeline.FrameSizesAsync(output);
        var all = (int)(TestClips.LongSeconds * 25);
        Assert.Equal((TestClips.Width, TestClips.Height), frames[0]);
        Assert.Equal(step == "height" ? (160, 120) : (TestClips.Width, TestClips.Height), frames[^1]);
        if (step == "fps")
        {
            Assert.InRange(frames.Count, (all / 2) + 1, all - 1);
        }
        else
        {
            Assert.Equal(all, frames.Count);
        }

        await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition,
            ErrorReason.SessionFinished,
            () => Client.AdjustAsync(new AdjustRequest { SessionId = submitted.Id, Adjustment = new Adjustment { MaxHeight = 90 } }).ResponseAsync);
    }

    [Fact]
    public async Task An_hls_session_publishes_its_segments_then_its_playlist()
    {
        var directory = Supervisor.OutputDirectory("hls");
        var playlist = Path.Combine(directory, "show.m3u8");
        var spec = Specs.Mp4(Supervisor.AddInput(clips.Long), playlist);
        spec.Output.Container = Container.Hls;
        spec.Checkpoints = new CheckpointSettings { ChunkLength = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) };

        var (session, events) = await SessionStreams.RunAsync(Client, spec);
        Assert.True(session.State == SessionState.Completed, SessionStreams.Describe(events));
        Assert.Equal(playlist, session.OutputPath);
        Assert.Equal(["show-00000.ts", "show-00001.ts", "show-00002.ts", "show-00003.ts", "show.m3u8"], DirectoryEntries.Of(directory).Order(StringComparer.Ordinal));
        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(playlist));
        Assert.Equal((int)(TestClips.LongSeconds * 25), (await PacketTimeline.ReadAsync(playlist)).Video.Count);
    }

    [Fact]
    public async Task A_chunk_length_out_of_range_is_an_invalid_spec()
    {
        var spec = Specs.Mp4(Supervisor.AddInput(clips.Short), Supervisor.Output("too-short-chunks.mp4"));
        spec.Checkpoints = new CheckpointSettings { ChunkLength = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) };
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, ErrorReason.InvalidSpec, () => Client.SubmitAsync(new SubmitRequest { Spec = spec }).ResponseAsync, "checkpoints.chunk_length");
    }
}
