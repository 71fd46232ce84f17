using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>
/// On these hybrid hosts the supervisor uses the cgroup v1 driver: every worker runs in its own
/// cgroup with its profile's limits from its first instruction, the supervisor reports its usage,
/// an allocation past memory.limit_in_bytes ends the session as OOM_KILLED, and nothing is left behind.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class CgroupTests(TestClips clips) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _profiles = new();
    private SupervisorProcess _supervisor = null!;
    private IReadOnlyList<string> _othersInstances = [];

    public async Task InitializeAsync()
    {
        // Supervisors of other test runs on this machine have their own instance directories.
        _othersInstances = Instances();
        foreach (var shipped in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "sandbox-profiles"), "*.json"))
        {
            File.Copy(shipped, _profiles.File(Path.GetFileName(shipped)));
        }

        // Far below what a 1080p x264 encode needs, but enough for the worker to start.
        await File.WriteAllTextAsync(_profiles.File("tiny.json"), """
            { "extends": "default", "description": "too little memory for 1080p", "limits": { "memoryMax": "96MiB", "memoryHigh": "96MiB" } }
            """);
        _supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(Environment: new Dictionary<string, string> { ["Sandbox__ProfilesDirectory"] = _profiles.Path }));
    }

    public async Task DisposeAsync()
    {
        var instances = Instances().Except(_othersInstances).ToList();
        await _supervisor.DisposeAsync();

        // Stopping the supervisor removes its worker cgroups and its own directory.
        Assert.DoesNotContain(instances, Directory.Exists);
    }

    public void Dispose() => _profiles.Dispose();

    private static List<string> Instances() =>
        Directory.Exists("/sys/fs/cgroup/memory/sandbox") ? [.. Directory.EnumerateDirectories("/sys/fs/cgroup/memory/sandbox")] : [];

    [Fact]
    public async Task The_isolation_in_use_is_reported()
    {
        var host = (await _supervisor.Operator.GetStatusAsync(new GetStatusRequest())).Host;

        Assert.Equal(("v1", "bwrap"), (host.CgroupDriver, host.Namespaces));
    }

    [Fact]
    public async Task A_worker_runs_inside_its_own_cgroup_with_its_profiles_limits_and_the_cgroup_goes_with_it()
    {
        var spec = Specs.SlowWebm(_supervisor.AddInput(clips.Long), _supervisor.Output("cgroup.webm"));
        var submitted = await SessionStreams.SubmitAsync(_supervisor.Sessions, spec);
        await SessionStreams.WaitForProgressAsync(_supervisor.Sessions, submitted.Id);

        var worker = Assert.Single((await _supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers);
        var cgroup = worker.Usage.Cgroup;
        Assert.StartsWith("/sandbox/", cgroup);
        Assert.Equal((2L << 30, 64L), (worker.Usage.MemoryMaxBytes, worker.Usage.PidsMax));
        Assert.InRange(worker.Usage.MemoryCurrentBytes, 1, 2L << 30);

        // What the worker itself sees in /proc/self/cgroup: every controller names its cgroup.
        var own = await File.ReadAllLinesAsync($"/proc/{worker.Pid}/cgroup");
        foreach (var controller in new[] { "memory", "pids", "cpu", "devices" })
        {
            Assert.Contains(own, line => line.EndsWith($":{controller}:{cgroup}", StringComparison.Ordinal));
        }

        // The worker itself (inside bubblewrap, below the pid the supervisor started) has a network namespace of its own.
        var inner = WorkerProcesses.Find(_supervisor.StateDirectory).Where(p => p.CommandLine.StartsWith("dotnet", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(inner);
        Assert.All(inner, p => Assert.NotEqual(new FileInfo("/proc/self/ns/net").LinkTarget, new FileInfo($"/proc/{p.Pid}/ns/net").LinkTarget));

        // ...and runs under a seccomp filter (mode 2) with no_new_privs, installed before it executed.
        Assert.All(inner, p => Assert.Contains("Seccomp:\t2", File.ReadAllText($"/proc/{p.Pid}/status"), StringComparison.Ordinal));
        Assert.All(inner, p => Assert.Contains("NoNewPrivs:\t1", File.ReadAllText($"/proc/{p.Pid}/status"), StringComparison.Ordinal));

        // ...as the unprivileged worker user as the host sees it, not uid 0 renamed inside a user namespace.
        Assert.All(inner.Append((worker.Pid, "")), p => Assert.Contains("Uid:\t65534\t65534\t65534\t65534", File.ReadAllText($"/proc/{p.Pid}/status"), StringComparison.Ordinal));

        var devices = await File.ReadAllTextAsync($"/sys/fs/cgroup/devices{cgroup}/devices.list");
        Assert.Equal(["c 1:3 rw", "c 1:5 rw", "c 1:9 r"], devices.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        await _supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = submitted.Id });
        await SessionStreams.WatchToEndAsync(_supervisor.Sessions, submitted.Id);
        await Poll.UntilAsync(() => !Directory.Exists($"/sys/fs/cgroup/memory{cgroup}"), TimeSpan.FromSeconds(15), () => $"cgroup {cgroup} still exists");
    }

    [Fact]
    public async Task Allocating_past_the_memory_limit_ends_the_session_as_oom_killed()
    {
        var input = _supervisor.AddInput(await HighResolutionClipAsync(), "hd.mp4");
        var spec = Specs.Mp4(input, _supervisor.Output("oom.mp4"));
        spec.Video = new VideoSettings { Codec = VideoCodec.H264, Preset = "medium" };
        spec.Profile = "tiny";

        var (session, events) = await SessionStreams.RunAsync(_supervisor.Sessions, spec);

        Assert.True(session.State == SessionState.Failed && session.Failure.Reason == ErrorReason.OomKilled, $"{session}\n{SessionStreams.Describe(events)}\n{_supervisor.Log}");
        Assert.False(File.Exists(_supervisor.Output("oom.mp4")));
    }

    private async Task<string> HighResolutionClipAsync()
    {
        var path = _profiles.File("hd-source.mp4");
        await Ffmpeg.RunAsync("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30:duration=3", "-c:v", "libx264", "-preset", "ultrafast", path);
        return path;
    }
}
