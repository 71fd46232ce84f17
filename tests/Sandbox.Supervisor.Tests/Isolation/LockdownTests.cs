using System.Globalization;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Tests.Infrastructure;
using Sandbox.Supervisor.Workers;
using Grpc.Net.Client;
using CancelRequest = Sandbox.Api.V1.CancelRequest;
using FaultInjectionClient = Sandbox.Api.Worker.V1.FaultInjection.FaultInjectionClient;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>
/// The second seccomp stage, seen from a real worker: once a transcode is under way (the lockdown is
/// installed before the input is opened), the worker is made to call what its profile's lockdown
/// forbids through the test-only FaultInjection service. Killing calls end the session as
/// SECCOMP_VIOLATION naming the syscall; refused ones fail with EPERM and the worker carries on.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class LockdownTests(TestClips clips, FaultInjectionSupervisorFixture fixture) : IClassFixture<FaultInjectionSupervisorFixture>
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private SupervisorProcess Supervisor => fixture.Supervisor;

    [Theory]
    [InlineData("execve")]
    [InlineData("ptrace")]
    [InlineData("mount")]
    [InlineData("unshare")]
    [InlineData("bpf")]
    [InlineData("kexec_load")]
    public async Task A_forbidden_syscall_after_lockdown_kills_the_worker_and_the_session_fails_naming_it(string syscall)
    {
        using var slow = await SlowSession.StartAsync(Supervisor, clips, $"killed-{syscall}", "default");
        var (session, channel) = (slow.Id, slow.Channel);
        var worker = new FaultInjectionClient(channel);

        var call = worker.MisbehaveAsync(new MisbehaveRequest { Syscall = syscall }, deadline: DateTime.UtcNow + CallTimeout).ResponseAsync;
        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.NotEqual(StatusCode.DeadlineExceeded, error.StatusCode);

        var events = await SessionStreams.WatchToEndAsync(Supervisor.Sessions, session);
        var ended = await SessionStreams.GetAsync(Supervisor.Sessions, session);
        Assert.True(
            (ended.State, ended.Failure?.Reason) == (SessionState.Failed, ErrorReason.SeccompViolation),
            $"{syscall}: {SessionStreams.Describe(events)}\n{Supervisor.Log}");
        Assert.Contains($"calling {syscall},", ended.Failure!.Message, StringComparison.Ordinal);
        Assert.Empty(WorkerProcesses.Find(Supervisor.StateDirectory));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("strict")]
    public async Task New_sockets_after_lockdown_fail_with_EPERM_and_the_worker_keeps_serving(string profile)
    {
        using var slow = await SlowSession.StartAsync(Supervisor, clips, $"sockets-{profile}", profile);
        var (session, channel) = (slow.Id, slow.Channel);
        var worker = new FaultInjectionClient(channel);

        var inet = await worker.MisbehaveAsync(new MisbehaveRequest { Syscall = "socket_inet" }, deadline: DateTime.UtcNow + CallTimeout);
        var unix = await worker.MisbehaveAsync(new MisbehaveRequest { Syscall = "socket_unix" }, deadline: DateTime.UtcNow + CallTimeout);

        // AF_UNIX sockets are allowed by the baseline: only the lockdown refuses them.
        Assert.Equal((true, "EPERM"), (inet.LockedDown, inet.Result));
        Assert.Equal((true, "EPERM"), (unix.LockedDown, unix.Result));

        // TSYNC: every thread, including those the runtime started before the lockdown, runs under both filters.
        var filters = SeccompFiltersPerThread(Supervisor.StateDirectory);
        Assert.True(filters.Count > 5, $"only {filters.Count} worker threads found");
        Assert.All(filters, thread => Assert.Equal((2, 1), (thread.Filters, thread.NoNewPrivs)));
        var running = await SessionStreams.GetAsync(Supervisor.Sessions, session);
        Assert.Equal(SessionState.Running, running.State);

        await Supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = session }, deadline: DateTime.UtcNow + CallTimeout);
        var events = await SessionStreams.WatchToEndAsync(Supervisor.Sessions, session);
        Assert.Equal(SessionState.Cancelled, events[^1].StateChanged?.State);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("strict")]
    public async Task A_transcode_completes_under_the_lockdown(string profile)
    {
        var spec = Specs.Mp4(Supervisor.AddInput(clips.Short), Supervisor.Output($"locked-{profile}.mp4"));
        spec.Profile = profile;

        var (session, events) = await SessionStreams.RunAsync(Supervisor.Sessions, spec);

        Assert.True(session.State == SessionState.Completed, $"{profile}: {SessionStreams.Describe(events)}\n{Supervisor.Log}");
        Assert.True(new FileInfo(session.OutputPath).Length > 0);
    }

    [Fact]
    public async Task Workers_of_a_supervisor_without_fault_injection_do_not_serve_it()
    {
        await using var supervisor = await SupervisorProcess.StartAsync();
        using var slow = await SlowSession.StartAsync(supervisor, clips, "no-fault-injection", "default");
        var (session, channel) = (slow.Id, slow.Channel);
        var worker = new FaultInjectionClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            worker.MisbehaveAsync(new MisbehaveRequest { Syscall = "execve" }, deadline: DateTime.UtcNow + CallTimeout).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal(SessionState.Running, (await SessionStreams.GetAsync(supervisor.Sessions, session)).State);
        await supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = session }, deadline: DateTime.UtcNow + CallTimeout);
    }

    /// <summary>
    /// <c>Seccomp_filters</c> and <c>NoNewPrivs</c> of each thread of the supervisor's one .NET worker (the
    /// bubblewrap processes around it, whose command lines also name it, are single-threaded).
    /// </summary>
    private static List<(int Thread, int Filters, int NoNewPrivs)> SeccompFiltersPerThread(string stateDirectory)
    {
        var worker = Assert.Single(WorkerProcesses.Find(stateDirectory), p => Directory.GetDirectories($"/proc/{p.Pid}/task").Length > 1);
        return [.. Directory.GetDirectories($"/proc/{worker.Pid}/task").Select(task =>
        {
            var status = File.ReadAllLines(Path.Combine(task, "status")).Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim());
            return (int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture), int.Parse(status["Seccomp_filters"], CultureInfo.InvariantCulture), int.Parse(status["NoNewPrivs"], CultureInfo.InvariantCulture));
        })];
    }
}
