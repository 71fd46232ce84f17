using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;
using Sandbox.Supervisor.Tests.Isolation;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// The warm pool: sandboxed workers started before any session, each serving exactly one session
/// (with the session's input mounted read-only and its staging directory writable into its view,
/// and nothing else), replaced by a fresh one, and taken by a restart after a crash.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class WarmPoolTests(TestClips clips)
{
    private static readonly TimeSpan PoolTimeout = TestTime.Limit(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_session_runs_in_a_warm_worker_that_sees_only_its_files_and_is_never_reused()
    {
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(WarmWorkers: 1));
        var warm = await WaitForIdleAsync(supervisor, except: null);
        var status = await supervisor.Operator.GetStatusAsync(new GetStatusRequest());
        Assert.Equal((1, 1), (status.WarmWorkers, status.WarmTarget));

        // An idle warm worker holds memory, and it counts against the workers' budget (80% of the host's memory).
        var hostBytes = long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        Assert.Equal((long)(hostBytes * 0.8), status.MemoryBudgetBytes);
        Assert.InRange(status.MemoryUsedBytes, 1, status.MemoryBudgetBytes);
        var output = Path.Combine(supervisor.OutputDirectory("warm"), "out.webm");
        var input = supervisor.AddInput(clips.Long);
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, Specs.SlowWebm(input, output));
        await SessionStreams.WaitForProgressAsync(supervisor.Sessions, submitted.Id);

        var running = await SessionStreams.GetAsync(supervisor.Sessions, submitted.Id);
        Assert.Equal(warm.Pid, running.WorkerPid);
        var busy = await supervisor.Operator.GetWorkerAsync(new GetWorkerRequest { WorkerId = warm.Id });
        Assert.Equal((WorkerState.WorkerBusy, submitted.Id), (busy.State, busy.SessionId));

        // Inside its namespace the session's input is mounted read-only, its staging directory
        // writable; the exchange directory shows nothing else.
        var exchange = Path.Combine(supervisor.StateDirectory, "exchange", warm.Id);
        var mounts = WorkerMounts(supervisor, warm.Id);
        var inputMount = Assert.Single(mounts, m => m.Point == $"{exchange}/input/{Path.GetFileName(input)}");
        Assert.Contains("ro", inputMount.Options.Split(','));
        var outputMount = Assert.Single(mounts, m => m.Point == $"{exchange}/output");
        Assert.Contains("rw", outputMount.Options.Split(','));
        Assert.Equal([Path.GetFileName(input)], DirectoryEntries.Of($"/proc/{warm.Pid}/root{exchange}/input"));

        // A fresh warm worker replaces the one taken; the used one ends with its session.
        var next = await WaitForIdleAsync(supervisor, except: warm.Id);
        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id);
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, SessionStreams.Describe(events));
        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(output));
        Assert.Empty(await WorkerProcesses.WaitUntilGoneAsync(supervisor.StateDirectory, SupervisorProcess.WorkerExitTimeout, [next.Id]));
        Assert.False(WorkerProcesses.IsAlive(warm.Pid), $"the used warm worker {warm.Pid} is still alive");
        Assert.False(Directory.Exists(exchange), $"{exchange} outlived its worker");
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(exchange, StringComparison.Ordinal));
        var listed = (await supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers;
        Assert.Equal([(next.Id, WorkerState.WorkerReady)], listed.Select(w => (w.Id, w.State)));
    }

    [Fact]
    public async Task A_crashed_session_restarts_in_a_warm_worker()
    {
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(EnableFaultInjection: true, WarmWorkers: 1));
        using var session = await SlowSession.StartAsync(supervisor, clips, "warm-restart");
        var standby = await WaitForIdleAsync(supervisor, except: session.Worker.Id);

        await new Chaos.ChaosClient(supervisor.Channel).InjectFaultAsync(new InjectFaultRequest { SessionId = session.Id, Kind = FaultKind.FaultSegfault });
        var restarted = (await SessionStreams.WatchUntilAsync(supervisor.Sessions, session.Id, e => e.WorkerRestarted is not null))[^1];
        await SessionStreams.WatchUntilAsync(supervisor.Sessions, session.Id, e => e.Progress is not null, fromSequence: restarted.Sequence + 1);
        Assert.Equal(standby.Pid, (await SessionStreams.GetAsync(supervisor.Sessions, session.Id)).WorkerPid);

        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, session.Id);
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, SessionStreams.Describe(events));
        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(Path.Combine(supervisor.OutputRoot, "warm-restart", "out.webm")));
    }

    /// <summary>Waits for an idle (READY) warm worker other than <paramref name="except"/>.</summary>
    private static async Task<Sandbox.Api.V1.Worker> WaitForIdleAsync(SupervisorProcess supervisor, string? except)
    {
        Sandbox.Api.V1.Worker? idle = null;
        await Poll.UntilAsync(
            async () =>
            {
                var workers = (await supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers;
                idle = workers.FirstOrDefault(w => w.State == WorkerState.WorkerReady && w.Id != except);
                return idle is not null;
            },
            PoolTimeout,
            () => "no warm worker became READY");
        Assert.Equal("", idle!.SessionId);
        return idle;
    }

    /// <summary>The mounts the worker sees in its own mount namespace: mount point and per-mount options.</summary>
    private static List<(string Point, string Options)> WorkerMounts(SupervisorProcess supervisor, string workerId)
    {
        var ours = new FileInfo("/proc/self/ns/mnt").LinkTarget;
        var inside = WorkerProcesses.Find(supervisor.StateDirectory)
            .Where(p => p.CommandLine.Contains(workerId, StringComparison.Ordinal))
            .First(p => new FileInfo($"/proc/{p.Pid}/ns/mnt").LinkTarget != ours);
        return [.. File.ReadLines($"/proc/{inside.Pid}/mountinfo").Select(l => l.Split(' ')).Select(f => (f[4], f[5]))];
    }
}
