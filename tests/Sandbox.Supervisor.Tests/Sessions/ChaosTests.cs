using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.ChaosSuite;
using Sandbox.Supervisor.Tests.Infrastructure;
using Sandbox.Supervisor.Tests.Isolation;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// The Chaos service injects faults into running sessions through the supervisor's public API (only
/// with --enable-fault-injection); each death is classified, and restarted or not as its class says.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class ChaosTests(TestClips clips, FaultInjectionSupervisorFixture fixture) : IClassFixture<FaultInjectionSupervisorFixture>
{
    private SupervisorProcess Supervisor => fixture.Supervisor;

    private Chaos.ChaosClient Chaos => new(Supervisor.Channel);

    [Theory]
    [InlineData(FaultKind.FaultSegfault, "native_crash")]
    [InlineData(FaultKind.FaultSigkill, "lost_connection")]
    [InlineData(FaultKind.FaultDisconnect, "lost_connection")]
    public async Task A_fault_injected_through_the_api_restarts_the_session_in_a_fresh_worker(FaultKind kind, string death)
    {
        using var session = await SlowSession.StartAsync(Supervisor, clips, $"chaos-{kind}");
        var injected = await Chaos.InjectFaultAsync(new InjectFaultRequest { SessionId = session.Id, Kind = kind });
        Assert.Equal((session.Id, session.Worker.Id), (injected.SessionId, injected.WorkerId));

        var restartEvent = (await SessionStreams.WatchUntilAsync(Supervisor.Sessions, session.Id, e => e.WorkerRestarted is not null))[^1];
        Assert.Equal(death, restartEvent.WorkerRestarted.Death);

        // The fresh worker shows the session's history in GetWorker.
        await SessionStreams.WatchUntilAsync(Supervisor.Sessions, session.Id, e => e.Progress is not null, fromSequence: restartEvent.Sequence + 1);
        var fresh = Assert.Single((await Supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers, w => w.SessionId == session.Id);
        var shown = await Supervisor.Operator.GetWorkerAsync(new GetWorkerRequest { WorkerId = fresh.Id });
        Assert.Equal(1, shown.Restarts);
        Assert.Equal([death], shown.EarlierDeaths);

        // The session keeps the dead worker's last stderr lines; the fresh one's are its own, in GetWorker.
        if (kind == FaultKind.FaultSegfault)
        {
            var kept = (await SessionStreams.GetAsync(Supervisor.Sessions, session.Id)).WorkerStderrTail;
            Assert.Contains("fault injection: dying by segv", kept, StringComparison.Ordinal);
            Assert.DoesNotContain("fault injection", shown.StderrTail, StringComparison.Ordinal);
        }

        // And GetStatus counts deaths by class, and restarts, since the supervisor started.
        var status = await Supervisor.Operator.GetStatusAsync(new GetStatusRequest());
        Assert.True(status.WorkerDeaths.GetValueOrDefault(death) >= 1 && status.Restarts >= 1, status.ToString());
        await Supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = session.Id });
        await SessionStreams.WatchToEndAsync(Supervisor.Sessions, session.Id);
    }

    [Fact]
    public async Task A_fault_at_a_progress_point_strikes_when_the_output_reaches_it()
    {
        var submitted = await SessionStreams.SubmitAsync(
            Supervisor.Sessions,
            Specs.SlowWebm(Supervisor.AddInput(clips.Long), Path.Combine(Supervisor.OutputDirectory("chaos-at"), "out.webm")));
        var at = TimeSpan.FromSeconds(6);
        var injected = await Chaos.InjectFaultAsync(new InjectFaultRequest { SessionId = submitted.Id, Kind = FaultKind.FaultAbort, At = Duration.FromTimeSpan(at) });
        Assert.Equal(submitted.Id, injected.SessionId);

        var events = await SessionStreams.WatchToEndAsync(Supervisor.Sessions, submitted.Id);
        var trace = SessionStreams.Describe(events);
        var restart = events.FindIndex(e => e.WorkerRestarted is not null);
        Assert.True(restart > 0 && events[restart].WorkerRestarted.Death == "abort", trace);
        var lastBefore = events.Take(restart).Last(e => e.Progress is not null).Progress.OutputTime.ToTimeSpan();
        Assert.True(lastBefore >= at, $"the fault struck at {lastBefore}, before {at}: {trace}");
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, trace);
    }

    [Fact]
    public async Task A_progress_point_needs_a_session_target() =>
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument,
            ErrorReason.InvalidSpec,
            () => Chaos.InjectFaultAsync(new InjectFaultRequest { Random = true, Kind = FaultKind.FaultAbort, At = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) }).ResponseAsync);

    [Fact]
    public async Task A_leaking_worker_is_oom_killed_by_its_cgroup_and_replaced()
    {
        using var profiles = new TempDirectory();
        var settings = await ShippedProfiles.WithExtraAsync(profiles, "small", """
            { "extends": "default", "description": "room for a 320x240 VP9 encode, not for a leak", "limits": { "memoryMax": "384MiB", "memoryHigh": "384MiB" } }
            """);
        await using var supervisor = await SupervisorProcess.StartAsync(settings with { EnableFaultInjection = true });
        using var session = await SlowSession.StartAsync(supervisor, clips, "chaos-leak", profile: "small");
        await new Chaos.ChaosClient(supervisor.Channel).InjectFaultAsync(new InjectFaultRequest { SessionId = session.Id, Kind = FaultKind.FaultLeak });

        var restarted = (await SessionStreams.WatchUntilAsync(supervisor.Sessions, session.Id, e => e.WorkerRestarted is not null))[^1].WorkerRestarted;
        Assert.Equal("oom_kill", restarted.Death);
        Assert.Contains("memory limit", restarted.Detail);
        await supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = session.Id });
        await SessionStreams.WatchToEndAsync(supervisor.Sessions, session.Id);
    }

    /// <summary>
    /// A frozen worker uses no CPU, so it is hung at the timeout whether the host is idle or kept
    /// saturated by busy loops (where a starved worker would be given more time). The reaction time
    /// (freeze → restart event) is reported with the chaos summary.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task A_frozen_worker_is_killed_after_the_hang_timeout_and_replaced(int busyLoops)
    {
        var timeout = TimeSpan.FromSeconds(5);
        var environment = new Dictionary<string, string> { ["Sandbox__HangTimeout"] = "00:00:05" };
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(EnableFaultInjection: true, Environment: environment));
        using var session = await SlowSession.StartAsync(supervisor, clips, $"chaos-hang-{busyLoops}");
        using var hogs = CpuHogs.Start(busyLoops);
        var frozenAt = DateTime.UtcNow;
        await new Chaos.ChaosClient(supervisor.Channel).InjectFaultAsync(new InjectFaultRequest { SessionId = session.Id, Kind = FaultKind.FaultHang });

        var restarted = (await SessionStreams.WatchUntilAsync(supervisor.Sessions, session.Id, e => e.WorkerRestarted is not null))[^1].WorkerRestarted;
        var reaction = DateTime.UtcNow - frozenAt;
        Assert.Equal("hang", restarted.Death);
        Assert.Contains("killed as hung: no progress for", restarted.Detail);
        Assert.True(reaction >= timeout - TimeSpan.FromSeconds(1), $"the worker was declared hung after {reaction}, before its timeout");
        Assert.True(reaction < timeout * 3, $"a frozen worker took {reaction} to be found hung (timeout {timeout}, {busyLoops} busy loops): it was taken for a starved one");
        Assert.False(WorkerProcesses.IsAlive(session.Worker.Pid), $"the frozen worker {session.Worker.Pid} is still there");
        await ChaosReport.AppendAsync($"injected hang found in {reaction.TotalSeconds:0.00} s (HangTimeout {timeout.TotalSeconds:0} s) on a host {(busyLoops == 0 ? "at rest" : $"saturated by {busyLoops} busy loops")}");
        await supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = session.Id });
        await SessionStreams.WatchToEndAsync(supervisor.Sessions, session.Id);
    }

    [Fact]
    public async Task A_forbidden_syscall_injected_through_the_api_ends_the_session_without_a_restart()
    {
        using var session = await SlowSession.StartAsync(Supervisor, clips, "chaos-syscall");
        await Chaos.InjectFaultAsync(new InjectFaultRequest { Random = true, Kind = FaultKind.FaultForbiddenSyscall, Syscall = "ptrace" });

        var events = await SessionStreams.WatchToEndAsync(Supervisor.Sessions, session.Id);
        var final = await SessionStreams.GetAsync(Supervisor.Sessions, session.Id);
        Assert.True(final.Failure?.Reason == ErrorReason.SeccompViolation, SessionStreams.Describe(events));
        Assert.DoesNotContain(events, e => e.WorkerRestarted is not null);
    }

    [Fact]
    public async Task A_session_without_a_worker_is_not_found() =>
        await RpcAssert.FailsAsync(
            StatusCode.NotFound,
            ErrorReason.WorkerNotFound,
            () => Chaos.InjectFaultAsync(new InjectFaultRequest { SessionId = "s-0000000000000000", Kind = FaultKind.FaultAbort }).ResponseAsync);
}
