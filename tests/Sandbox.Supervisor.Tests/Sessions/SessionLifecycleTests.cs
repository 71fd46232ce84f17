using Grpc.Core;
using Grpc.Health.V1;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// A session's whole life through the public API: Submit, Watch (with its sequence numbers,
/// resumption and disconnects), Get, and the output file judged by ffprobe.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class SessionLifecycleTests(TestClips clips, SupervisorFixture fixture) : IClassFixture<SupervisorFixture>
{
    private SupervisorProcess Supervisor => fixture.Supervisor;

    private SessionsClient Client => Supervisor.Sessions;

    [Fact]
    public async Task Submitted_session_completes_with_ordered_events_and_a_valid_output()
    {
        var output = Supervisor.Output("lifecycle.mp4");
        var spec = Specs.Mp4(Supervisor.AddInput(clips.Short), output);
        spec.Video.Width = 160;
        spec.Video.Height = 120;

        var submitted = await SessionStreams.SubmitAsync(Client, spec);
        var events = await SessionStreams.WatchToEndAsync(Client, submitted.Id);

        var trace = SessionStreams.Describe(events);
        Assert.True(events.Select(e => e.Sequence).SequenceEqual(Enumerable.Range(1, events.Count).Select(i => (long)i)), $"sequences are not 1, 2, 3…: {trace}");
        Assert.All(events, e => Assert.Equal(submitted.Id, e.SessionId));
        Assert.Equal([SessionState.Queued, SessionState.Starting, SessionState.Running, SessionState.Completed], SessionStreams.States(events));

        // Progress comes from the running worker: after RUNNING, before COMPLETED (the last event).
        var running = events.FindIndex(e => e.StateChanged?.State == SessionState.Running);
        var progress = events.Select((e, i) => (e, i)).Where(x => x.e.EventCase == SessionEvent.EventOneofCase.Progress).Select(x => x.i).ToList();
        Assert.True(progress.Count > 0, $"no progress event: {trace}");
        Assert.All(progress, i => Assert.InRange(i, running + 1, events.Count - 2));
        Assert.Equal(SessionState.Completed, events[^1].StateChanged?.State);

        var session = await SessionStreams.GetAsync(Client, submitted.Id);
        Assert.Equal(SessionState.Completed, session.State);
        Assert.Equal(output, session.OutputPath);
        Assert.Equal(1, session.Attempts);

        // Progress names the video the spec makes (what the memory governor scales down from).
        Assert.Equal((160, 120, 25, 1), (session.Progress.Video.Width, session.Progress.Video.Height, session.Progress.Video.FrameRate.Numerator, session.Progress.Video.FrameRate.Denominator));
        Assert.Null(session.Failure);
        Assert.Equal(0, session.WorkerPid);
        Assert.Equal(events.Count, session.LastSequence);

        var probe = await FfprobeReport.ProbeAsync(output);
        Assert.Contains("mp4", probe.FormatName, StringComparison.Ordinal);
        Assert.Equal(("h264", 160, 120), (probe.Video.CodecName, probe.Video.Width, probe.Video.Height));
        Assert.Equal("aac", probe.Audio.CodecName);
        Assert.InRange(probe.Duration ?? 0, TestClips.ShortSeconds - 0.1, TestClips.ShortSeconds + 0.2);

        // The worker muxes under a hidden temporary name; none may be left once the session ended.
        Assert.DoesNotContain(DirectoryEntries.Of(Supervisor.OutputRoot), name => name.StartsWith('.'));
    }

    [Fact]
    public async Task Submit_answers_with_the_session_queued()
    {
        // sessions.proto: Submit "queues a session and returns it with its id (state QUEUED)". An idle
        // slot picks the session up at once, so the answer must be taken before it is handed over.
        var submitted = await SessionStreams.SubmitAsync(Client, Specs.Mp4(Supervisor.AddInput(clips.Short), Supervisor.Output("queued.mp4")));
        await SessionStreams.WatchToEndAsync(Client, submitted.Id);

        Assert.Matches("^s-[0-9a-f]{16}$", submitted.Id);
        Assert.Equal((SessionState.Queued, 1L, 0), (submitted.State, submitted.LastSequence, submitted.Attempts));
    }

    [Fact]
    public async Task Watch_resumed_after_a_disconnect_yields_exactly_the_remaining_events()
    {
        var submitted = await SessionStreams.SubmitAsync(Client, Specs.Mp4(Supervisor.AddInput(clips.Short), Supervisor.Output("resume.mp4")));

        // Read the first three events live, then drop the connection like a client that went away.
        var head = await SessionStreams.WatchUntilAsync(Client, submitted.Id, e => e.Sequence == 3);
        var tail = await SessionStreams.WatchToEndAsync(Client, submitted.Id, fromSequence: head[^1].Sequence + 1);
        var full = await SessionStreams.WatchToEndAsync(Client, submitted.Id);

        Assert.Equal([1L, 2L, 3L], head.Select(e => e.Sequence));
        Assert.True(full.Select(e => e.Sequence).SequenceEqual(Enumerable.Range(1, full.Count).Select(i => (long)i)), SessionStreams.Describe(full));
        Assert.Equal(full, [.. head, .. tail]);
        Assert.Equal(SessionState.Completed, full[^1].StateChanged?.State);

        // Replaying a finished session from the middle gives the same events again.
        var middle = full.Count / 2 + 1;
        Assert.Equal(full.Skip(middle - 1), await SessionStreams.WatchToEndAsync(Client, submitted.Id, fromSequence: middle));

        // Right after the last event there is nothing more, and the stream ends because the session has.
        Assert.Empty(await SessionStreams.WatchToEndAsync(Client, submitted.Id, fromSequence: full.Count + 1));
    }

    [Fact]
    public async Task Watch_from_a_future_sequence_is_out_of_range()
    {
        var (session, events) = await SessionStreams.RunAsync(Client, Specs.Mp4(Supervisor.AddInput(clips.Short), Supervisor.Output("future.mp4")));
        Assert.Equal(SessionState.Completed, session.State);

        await RpcAssert.FailsAsync(
            StatusCode.OutOfRange, ErrorReason.SequenceOutOfRange, () => SessionStreams.WatchToEndAsync(Client, session.Id, fromSequence: events.Count + 2));
        await RpcAssert.FailsAsync(
            StatusCode.OutOfRange, ErrorReason.SequenceOutOfRange, () => SessionStreams.WatchToEndAsync(Client, session.Id, fromSequence: 1_000_000));
    }

    [Fact]
    public async Task A_client_disconnecting_mid_watch_does_not_disturb_the_session()
    {
        var output = Supervisor.Output("disconnect.mp4");
        var submitted = await SessionStreams.SubmitAsync(Client, Specs.Mp4(Supervisor.AddInput(clips.Short), output));

        // Two watchers give up at different points; the session must not notice either.
        await SessionStreams.WatchUntilAsync(Client, submitted.Id, e => e.Sequence == 1);
        await SessionStreams.WatchUntilAsync(Client, submitted.Id, e => e.StateChanged?.State == SessionState.Running);

        var events = await SessionStreams.WatchToEndAsync(Client, submitted.Id);
        Assert.Equal(SessionState.Completed, events[^1].StateChanged?.State);
        Assert.Equal(SessionState.Completed, (await SessionStreams.GetAsync(Client, submitted.Id)).State);
        Assert.Equal("h264", (await FfprobeReport.ProbeAsync(output)).Video.CodecName);
        var health = await Supervisor.Health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }
}
