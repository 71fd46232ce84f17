using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Tests.Infrastructure;
using Sandbox.Supervisor.Tests.Isolation;
using SessionState = Sandbox.Api.V1.SessionState;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// A worker that dies of a crash is replaced, and the fresh worker resumes from the session's last
/// checkpoint: the session completes with the whole output, its events say what happened.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class RestartTests(TestClips clips, FaultInjectionSupervisorFixture fixture) : IClassFixture<FaultInjectionSupervisorFixture>
{
    private static readonly TimeSpan CallTimeout = TestTime.Limit(TimeSpan.FromSeconds(30));

    private SupervisorProcess Supervisor => fixture.Supervisor;

    [Theory]
    [InlineData("segv", "native_crash", "SIGSEGV")]
    [InlineData("abort", "abort", "SIGABRT")]
    [InlineData("exit", "lost_connection", "exited with code 3")]
    public async Task A_dead_worker_is_replaced_and_the_session_resumes_from_its_last_checkpoint(string kind, string death, string detail)
    {
        using var session = await SlowSession.StartAsync(Supervisor, clips, $"restart-{kind}");
        await SessionStreams.WatchUntilAsync(Supervisor.Sessions, session.Id, e => e.Progress?.Checkpoints?.Count >= 1);
        await Assert.ThrowsAnyAsync<Grpc.Core.RpcException>(
            () => new FaultInjection.FaultInjectionClient(session.Channel).CrashAsync(new CrashRequest { Kind = kind }, deadline: DateTime.UtcNow + CallTimeout).ResponseAsync);

        var events = await SessionStreams.WatchToEndAsync(Supervisor.Sessions, session.Id);
        var trace = SessionStreams.Describe(events);
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, trace);
        var restarted = Assert.Single(events, e => e.WorkerRestarted is not null).WorkerRestarted;
        Assert.Equal((2, death), (restarted.Attempt, restarted.Death));
        Assert.Contains(detail, restarted.Detail);
        Assert.Equal(TimeSpan.Zero, restarted.Backoff.ToTimeSpan());
        var takeover = events.Skip(events.FindIndex(e => e.WorkerRestarted is not null)).First(e => e.StateChanged?.State == SessionState.Running);
        Assert.Contains("took over (attempt 2)", takeover.StateChanged.Detail);

        var final = await SessionStreams.GetAsync(Supervisor.Sessions, session.Id);
        Assert.Equal(2, final.Attempts);
        Assert.True(final.Progress.Checkpoints.ResumedFrom?.ToTimeSpan() > TimeSpan.Zero, $"the second worker started over: {final.Progress}");
        var output = Path.Combine(Supervisor.OutputDirectory($"restart-{kind}"), "out.webm");
        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(output));
        Assert.Equal((int)(TestClips.LongSeconds * 25), (await PacketTimeline.ReadAsync(output)).Video.Count);
    }

    [Fact]
    public async Task Past_the_restart_intensity_the_supervisor_restarts_nothing_and_admits_nothing()
    {
        // (Two crashes at one place would make the input poison first: this test is about the intensity.)
        var environment = new Dictionary<string, string>
        {
            ["Sandbox__RestartIntensity"] = "1",
            ["Sandbox__RestartIntensityWindow"] = "00:10:00",
            ["Sandbox__PoisonThreshold"] = "3",
        };
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(EnableFaultInjection: true, Environment: environment));

        // The first crash is restarted, and fills the window.
        string id;
        long restartedAt;
        using (var first = await SlowSession.StartAsync(supervisor, clips, "intensity"))
        {
            id = first.Id;
            await CrashAsync(first.Channel);
            restartedAt = (await SessionStreams.WatchUntilAsync(supervisor.Sessions, id, e => e.WorkerRestarted is not null))[^1].Sequence;
        }

        var refused = await RpcAssert.FailsAsync(
            Grpc.Core.StatusCode.ResourceExhausted,
            Sandbox.Api.V1.ErrorReason.CapacityExhausted,
            () => supervisor.Sessions.SubmitAsync(new Sandbox.Api.V1.SubmitRequest { Spec = Specs.Mp4(supervisor.AddInput(clips.Short), supervisor.Output("refused.mp4")) }).ResponseAsync);
        Assert.Contains("retry in", refused.Status.Detail);

        // The restarted worker's own crash is not restarted: the session fails, saying why.
        await SessionStreams.WatchUntilAsync(supervisor.Sessions, id, e => e.Progress is not null, fromSequence: restartedAt + 1);
        var workers = await supervisor.Operator.ListWorkersAsync(new Sandbox.Api.V1.ListWorkersRequest(), deadline: DateTime.UtcNow + CallTimeout);
        using (var channel = Sandbox.Supervisor.Workers.UnixSocketChannel.Create(Assert.Single(workers.Workers, w => w.SessionId == id).Socket))
        {
            await CrashAsync(channel);
        }

        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, id);
        var session = await SessionStreams.GetAsync(supervisor.Sessions, id);
        Assert.True(session.State == SessionState.Failed, SessionStreams.Describe(events));
        Assert.Equal(Sandbox.Api.V1.ErrorReason.WorkerCrashed, session.Failure.Reason);
        Assert.Contains("not restarted: the supervisor made 1 restarts within 600 s", session.Failure.Message);
        Assert.Equal(2, session.Attempts);
    }

    private static async Task CrashAsync(Grpc.Net.Client.GrpcChannel channel) =>
        await Assert.ThrowsAnyAsync<Grpc.Core.RpcException>(
            () => new FaultInjection.FaultInjectionClient(channel).CrashAsync(new CrashRequest { Kind = "segv" }, deadline: DateTime.UtcNow + CallTimeout).ResponseAsync);
}
