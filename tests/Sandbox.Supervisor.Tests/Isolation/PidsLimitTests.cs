using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Tests.Infrastructure;
using CancelRequest = Sandbox.Api.V1.CancelRequest;
using FaultInjectionClient = Sandbox.Api.Worker.V1.FaultInjection.FaultInjectionClient;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>A real worker, mid-transcode, starts threads until the kernel refuses: its cgroup's pids.max (64 in <c>default</c>) stops it.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class PidsLimitTests(TestClips clips, FaultInjectionSupervisorFixture fixture) : IClassFixture<FaultInjectionSupervisorFixture>
{
    private static readonly TimeSpan CallTimeout = TestTime.Limit(TimeSpan.FromSeconds(60));

    private SupervisorProcess Supervisor => fixture.Supervisor;

    [Fact]
    public async Task A_thread_bomb_in_the_worker_stops_at_pids_max_and_the_worker_carries_on()
    {
        using var slow = await SlowSession.StartAsync(Supervisor, clips, "thread-bomb");

        var answer = await new FaultInjectionClient(slow.Channel).MisbehaveAsync(new MisbehaveRequest { Syscall = "thread_bomb" }, deadline: DateTime.UtcNow + CallTimeout);

        Assert.StartsWith("EAGAIN after ", answer.Result, StringComparison.Ordinal);
        var started = int.Parse(answer.Result.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(started, 1, 63);
        Assert.Equal(64, slow.Worker.Usage.PidsMax);
        var running = await SessionStreams.GetAsync(Supervisor.Sessions, slow.Id);
        Assert.Equal(SessionState.Running, running.State);

        await Supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = slow.Id });
        var events = await SessionStreams.WatchToEndAsync(Supervisor.Sessions, slow.Id);
        Assert.Equal(SessionState.Cancelled, events[^1].StateChanged?.State);
    }
}
