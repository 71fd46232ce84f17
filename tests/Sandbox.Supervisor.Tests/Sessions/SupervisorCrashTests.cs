using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// A supervisor that stops — killed outright (SIGKILL: no shutdown code runs) or asked to (SIGTERM:
/// it drains) — loses no session. Its workers do not run on: each notices its supervisor is gone
/// and stops. The next supervisor cleans what only a supervisor can (cgroups, sockets), finds the
/// sessions in its store and resumes those that had not ended from their checkpoints.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class SupervisorCrashTests(TestClips clips)
{
    [Fact]
    public async Task A_killed_supervisor_leaves_no_worker_and_its_successor_resumes_the_session_from_its_checkpoints()
    {
        await using var supervisor = await SupervisorProcess.StartAsync();
        var directory = supervisor.OutputDirectory("crash");
        var output = Path.Combine(directory, "resumed.webm");
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, Specs.SlowWebm(supervisor.AddInput(clips.Long), output));
        var before = await SessionStreams.WatchUntilAsync(supervisor.Sessions, submitted.Id, e => e.Progress?.Checkpoints?.Count >= 1);
        var running = await SessionStreams.GetAsync(supervisor.Sessions, submitted.Id);
        Assert.Equal(SessionState.Running, running.State);
        Assert.True(WorkerProcesses.IsAlive(running.WorkerPid), $"worker pid {running.WorkerPid} is not alive while RUNNING");

        var cgroup = HostCgroups.Directory(Assert.Single((await supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers).Usage.Cgroup);

        await supervisor.KillAsync();

        var survivors = await WorkerProcesses.WaitUntilGoneAsync(supervisor.StateDirectory, SupervisorProcess.WorkerExitTimeout);
        Assert.True(survivors.Count == 0, $"workers outlived the supervisor by {SupervisorProcess.WorkerExitTimeout.TotalSeconds} s: {string.Join("; ", survivors)}");
        Assert.False(WorkerProcesses.IsAlive(running.WorkerPid));

        // No output file, partial or not: the staging directory holds the session's checkpoints.
        var staging = Assert.Single(DirectoryEntries.Of(directory));
        Assert.StartsWith(".sandbox-", staging, StringComparison.Ordinal);
        Assert.Equal(["checkpoints"], DirectoryEntries.Of(Path.Combine(directory, staging)));

        // The killed supervisor's worker cgroup is still there; its successor removes it at start.
        Assert.True(Directory.Exists(cgroup), $"{cgroup} is gone before any supervisor could remove it");
        await using var restarted = await SupervisorProcess.RestartAsync(supervisor);
        Assert.False(Directory.Exists(cgroup), $"{cgroup} survived the restart");

        // The same session, with the same events so far, goes on to the end from where it was.
        var events = await SessionStreams.WatchToEndAsync(restarted.Sessions, submitted.Id);
        var trace = SessionStreams.Describe(events);
        Assert.Equal(before.Select(SessionStreams.Describe), events.Take(before.Count).Select(SessionStreams.Describe));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Contains(events, e => e.StateChanged is { State: SessionState.Queued } requeued && requeued.Detail.Contains("supervisor restarted", StringComparison.Ordinal));
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, trace);

        var final = await SessionStreams.GetAsync(restarted.Sessions, submitted.Id);
        Assert.True(final.Progress.Checkpoints.ResumedFrom?.ToTimeSpan() > TimeSpan.Zero, $"the new worker started over: {final.Progress}");
        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(output));
        Assert.Equal((int)(TestClips.LongSeconds * 25), (await PacketTimeline.ReadAsync(output)).Video.Count);
        Assert.Equal(["resumed.webm"], DirectoryEntries.Of(directory));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(restarted.StateDirectory, "workers")));
    }

    [Fact]
    public async Task A_stopped_supervisor_drains_to_a_checkpoint_and_its_successor_finishes_every_session()
    {
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(MaxConcurrent: 1));
        var directory = supervisor.OutputDirectory("drain");
        var running = await SessionStreams.SubmitAsync(supervisor.Sessions, Specs.SlowWebm(supervisor.AddInput(clips.Long), Path.Combine(directory, "running.webm")));
        var queued = await SessionStreams.SubmitAsync(supervisor.Sessions, Specs.Mp4(supervisor.AddInput(clips.Short), Path.Combine(directory, "queued.mp4")));
        var finished = await SessionStreams.WatchUntilAsync(supervisor.Sessions, running.Id, e => e.Progress?.Checkpoints?.Count >= 1);
        var durableBefore = finished.Last(e => e.Progress is not null).Progress.Checkpoints.Count;

        Assert.True(await supervisor.TerminateAsync(), $"the supervisor did not exit after SIGTERM:\n{supervisor.Log}");
        Assert.Empty(await WorkerProcesses.WaitUntilGoneAsync(supervisor.StateDirectory, SupervisorProcess.WorkerExitTimeout));

        await using var restarted = await SupervisorProcess.RestartAsync(supervisor);
        var events = await SessionStreams.WatchToEndAsync(restarted.Sessions, running.Id);
        var trace = SessionStreams.Describe(events);
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, trace);

        // It drained to at least one more durable chunk, then left the session for its successor.
        var interrupted = events.FindIndex(e => e.StateChanged is { State: SessionState.Queued } s && s.Detail.Contains("supervisor stopped", StringComparison.Ordinal));
        Assert.True(interrupted > 0, trace);
        Assert.True(events.Take(interrupted).Last(e => e.Progress is not null).Progress.Checkpoints.Count > durableBefore, trace);
        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(Path.Combine(directory, "running.webm")));

        var second = await SessionStreams.WatchToEndAsync(restarted.Sessions, queued.Id);
        Assert.True(second[^1].StateChanged?.State == SessionState.Completed, SessionStreams.Describe(second));
        Assert.Equal(["queued.mp4", "running.webm"], DirectoryEntries.Of(directory));
    }

    [Fact]
    public async Task While_it_drains_a_stopping_supervisor_answers_shutting_down_and_not_serving()
    {
        await using var supervisor = await SupervisorProcess.StartAsync();
        // One chunk for the whole input: the drain waits for a checkpoint that is far off, for its DrainTimeout (10 s).
        var spec = Specs.SlowWebm(supervisor.AddInput(clips.Long), Path.Combine(supervisor.OutputDirectory("shutting-down"), "out.webm"));
        spec.Checkpoints = new CheckpointSettings { ChunkLength = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) };
        var running = await SessionStreams.SubmitAsync(supervisor.Sessions, spec);
        await SessionStreams.WaitForProgressAsync(supervisor.Sessions, running.Id);

        await ChildProcess.RunAsync("kill", ["-TERM", supervisor.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));

        // The runtime handles SIGTERM on its own thread, a moment after kill returns: wait for the
        // health answer to flip (a transport error means the listener was not reached: no answer yet).
        HealthCheckResponse.Types.ServingStatus? health = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    health = (await supervisor.Health.CheckAsync(new HealthCheckRequest())).Status;
                }
                catch (RpcException e) when (e.GetRpcStatus() is null)
                {
                    health = null;
                }

                return health == HealthCheckResponse.Types.ServingStatus.NotServing;
            },
            TimeSpan.FromSeconds(5),
            () => $"health after SIGTERM answered {health?.ToString() ?? "nothing"}");

        var late = Specs.Mp4(supervisor.AddInput(clips.Short), supervisor.Output("late.mp4"));
        var refused = await Assert.ThrowsAsync<RpcException>(() => supervisor.Sessions.SubmitAsync(new SubmitRequest { Spec = late }).ResponseAsync);
        RpcAssert.Matches(refused, StatusCode.Unavailable, ErrorReason.ShuttingDown);
        Assert.True(await supervisor.TerminateAsync(), $"the supervisor did not exit after SIGTERM:\n{supervisor.Log}");
    }
}
