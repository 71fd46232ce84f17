using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Publishing;

/// <summary>
/// The production build (scripts/publish: Native AOT supervisor and worker): the published
/// supervisor starts the AOT worker beside it by default, says so in GetStatus, and sessions run,
/// crash, restart and resume through it under the same sandbox as the JIT build's.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class PublishedBuildTests(TestClips clips)
{
    [Fact]
    public async Task The_published_supervisor_runs_sessions_in_its_native_aot_worker()
    {
        var build = await PublishedBuild.GetAsync();
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(Executable: build.Supervisor, EnableFaultInjection: true));

        var status = await supervisor.Operator.GetStatusAsync(new GetStatusRequest());
        Assert.Equal("native_aot", status.Host.WorkerBuild);
        Assert.Equal("sandbox-worker", Path.GetFileName(status.Host.WorkerCommand));
        Assert.True(status.Host.Namespaces == "bwrap" && status.Host.Encoders["libvpx-vp9"], status.Host.ToString());

        // The session's worker process (under bwrap) is the published AOT executable, perhaps a copy staged for the worker user.
        using var session = await SlowSession.StartAsync(supervisor, clips, "aot");
        var programs = WorkerProcesses.Find(supervisor.StateDirectory).Select(p => FileLength($"/proc/{p.Pid}/exe")).ToList();
        Assert.Contains(FileLength(build.Worker), programs);

        // A crash in native code is classified the same way, and the session resumes in a fresh AOT worker.
        await new Chaos.ChaosClient(supervisor.Channel).InjectFaultAsync(new InjectFaultRequest { SessionId = session.Id, Kind = FaultKind.FaultSegfault });
        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, session.Id);
        var trace = SessionStreams.Describe(events);
        Assert.True(events.Find(e => e.WorkerRestarted is not null)?.WorkerRestarted.Death == "native_crash", trace);
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, trace);

        var final = await SessionStreams.GetAsync(supervisor.Sessions, session.Id);
        var probe = await FfprobeReport.ProbeAsync(final.OutputPath);
        Assert.Equal("vp9", probe.Video.CodecName);
        Assert.InRange(probe.Duration ?? 0, TestClips.LongSeconds - 0.5, TestClips.LongSeconds + 0.5);
    }

    [Fact]
    public async Task The_published_worker_is_held_to_its_seccomp_profile()
    {
        var build = await PublishedBuild.GetAsync();
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(Executable: build.Supervisor, EnableFaultInjection: true));
        using var session = await SlowSession.StartAsync(supervisor, clips, "aot-seccomp");

        await new Chaos.ChaosClient(supervisor.Channel).InjectFaultAsync(new InjectFaultRequest { SessionId = session.Id, Kind = FaultKind.FaultForbiddenSyscall, Syscall = "ptrace" });

        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, session.Id);
        var final = await SessionStreams.GetAsync(supervisor.Sessions, session.Id);
        Assert.True(final.Failure?.Reason == ErrorReason.SeccompViolation, SessionStreams.Describe(events));
    }

    [Fact]
    public async Task The_jit_build_says_it_runs_dotnet()
    {
        await using var supervisor = await SupervisorProcess.StartAsync();
        var status = await supervisor.Operator.GetStatusAsync(new GetStatusRequest());
        Assert.Equal("jit", status.Host.WorkerBuild);
        Assert.EndsWith("sandbox-worker.dll", status.Host.WorkerCommand, StringComparison.Ordinal);
    }

    private static long FileLength(string path)
    {
        using var file = File.OpenRead(path);
        return file.Length;
    }
}
