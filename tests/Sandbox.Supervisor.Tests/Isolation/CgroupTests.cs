using System.Diagnostics;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Isolation.Cgroups;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>
/// Whichever cgroup driver the host offers — v1 on the hybrid build machines, v2 in scripts/cgroup2-vm
/// (as on production hosts) — every worker runs in its own cgroup with its profile's limits from its
/// first instruction, the supervisor reports its usage, an allocation past the memory limit ends the
/// session as OOM_KILLED, and nothing is left behind, not even what an earlier run left.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class CgroupTests(TestClips clips) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _profiles = new();
    private SupervisorProcess _supervisor = null!;

    public async Task InitializeAsync()
    {
        // Far below what a 1080p x264 encode needs, but enough for the worker to start.
        var settings = await ShippedProfiles.WithExtraAsync(_profiles, "tiny", """
            { "extends": "default", "description": "too little memory for 1080p", "limits": { "memoryMax": "96MiB", "memoryHigh": "96MiB" } }
            """);
        _supervisor = await SupervisorProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        var instance = HostCgroups.InstanceDirectory(_supervisor.StateDirectory);
        await _supervisor.DisposeAsync();

        // Stopping the supervisor removes its worker cgroups and its own directory.
        Assert.False(Directory.Exists(instance), $"{instance} outlived its supervisor");
    }

    public void Dispose() => _profiles.Dispose();

    /// <summary>Whether this process has capability number <paramref name="bit"/> (24: CAP_SYS_RESOURCE) in its effective set.</summary>
    private static bool HasCapability(int bit) =>
        (Convert.ToUInt64(File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal))[7..].Trim(), 16) & (1UL << bit)) != 0;

    [Fact]
    public async Task The_isolation_in_use_is_reported()
    {
        var host = (await _supervisor.Operator.GetStatusAsync(new GetStatusRequest())).Host;

        Assert.Equal((HostCgroups.Driver, "bwrap"), (host.CgroupDriver, host.Namespaces));
    }

    [CgroupFact]
    public async Task A_worker_runs_inside_its_own_cgroup_with_its_profiles_limits_and_the_cgroup_goes_with_it()
    {
        var spec = Specs.SlowWebm(_supervisor.AddInput(clips.Long), _supervisor.Output("cgroup.webm"));
        var submitted = await SessionStreams.SubmitAsync(_supervisor.Sessions, spec);
        await SessionStreams.WaitForProgressAsync(_supervisor.Sessions, submitted.Id);

        var worker = Assert.Single((await _supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers);
        var cgroup = worker.Usage.Cgroup;
        Assert.StartsWith("/sandbox/", cgroup);
        Assert.Equal((InputDerivedLimit, 64L), (worker.Usage.MemoryMaxBytes, worker.Usage.PidsMax));

        // PSI is a cgroup v2 file: reported there (a worker that has run for a while has stalled a little or not at all), absent on v1.
        Assert.Equal(HostCgroups.Driver == "v2", worker.Usage.MemoryPressure is not null);
        Assert.InRange(worker.Usage.MemoryPressure?.SomeAvg10 ?? 0, 0, 100);
        Assert.InRange(worker.Usage.MemoryCurrentBytes, 1, 2L << 30);

        // The supervisor samples its memory every second: anonymous memory, page cache, and the
        // pressure index (a VP9 encode of 320x240 is well within its 384 MiB limit, but not at zero).
        await Poll.UntilAsync(
            async () => (await _supervisor.Operator.GetWorkerAsync(new GetWorkerRequest { WorkerId = worker.Id })).Usage is { AnonBytes: > 0, WorkerResidentBytes: > 0 },
            TestTime.Limit(TimeSpan.FromSeconds(10)),
            () => "the worker's memory was not sampled");
        var sampled = (await _supervisor.Operator.GetWorkerAsync(new GetWorkerRequest { WorkerId = worker.Id })).Usage;
        Assert.InRange(sampled.MemoryPressureIndex, double.Epsilon, 0.45);
        Assert.InRange(sampled.MemoryPressureIndexLatest, double.Epsilon, 0.45);
        Assert.True(sampled.Refaults >= 0 && sampled.FileBytes >= 0 && sampled.MemoryMaxEvents == 0, sampled.ToString());

        // ...and asks the worker for its own view: resident memory (within its cgroup's charge, roughly) and its .NET heap.
        Assert.InRange(sampled.WorkerManagedBytes, 1, sampled.WorkerResidentBytes);
        Assert.True((await _supervisor.Operator.GetStatusAsync(new GetStatusRequest())).MemorySamplingCost.ToTimeSpan() > TimeSpan.Zero);

        // The worker itself runs inside bubblewrap, below the pid the supervisor started.
        // (The JIT build runs as dotnet, the published one as sandbox-worker itself.)
        var inner = WorkerProcesses.Find(_supervisor.StateDirectory).Where(p => Path.GetFileName(p.CommandLine.Split(' ')[0]) is "dotnet" or "sandbox-worker").ToList();
        Assert.NotEmpty(inner);

        // Its /proc/PID/cgroup (what it sees as /proc/self/cgroup, short of its own cgroup namespace) names its cgroup: every controller's on v1, the one line on v2.
        foreach (var pid in inner.Select(p => p.Pid).Prepend(worker.Pid))
        {
            var own = await File.ReadAllLinesAsync($"/proc/{pid}/cgroup");
            if (HostCgroups.Driver == "v1")
            {
                Assert.All(CgroupV1Driver.Controllers, c => Assert.Contains(own, line => line.EndsWith($":{c}:{cgroup}", StringComparison.Ordinal)));
            }
            else
            {
                Assert.Equal([$"0::{cgroup}"], own);
            }
        }

        // The default profile's limits as the kernel holds them, memory from the input (under the profile's 2 GiB).
        var limits = ExpectedLimits(cgroup);
        Assert.Equal(limits, limits.Keys.ToDictionary(f => f, f => File.ReadAllText(f).Trim()));

        // The worker has a network namespace of its own.
        Assert.All(inner, p => Assert.NotEqual(new FileInfo("/proc/self/ns/net").LinkTarget, new FileInfo($"/proc/{p.Pid}/ns/net").LinkTarget));

        // ...and runs under a seccomp filter (mode 2) with no_new_privs, installed before it executed.
        Assert.All(inner, p => Assert.Contains("Seccomp:\t2", File.ReadAllText($"/proc/{p.Pid}/status"), StringComparison.Ordinal));
        Assert.All(inner, p => Assert.Contains("NoNewPrivs:\t1", File.ReadAllText($"/proc/{p.Pid}/status"), StringComparison.Ordinal));

        // If the host ever ran out of memory as a whole, the kernel would kill workers first and the supervisor last.
        Assert.All(inner.Append((worker.Pid, "")), p => Assert.Equal("1000", File.ReadAllText($"/proc/{p.Pid}/oom_score_adj").Trim()));
        // (Lowering its own score takes CAP_SYS_RESOURCE, which root lacks in some containers, like these build machines.)
        Assert.Equal(HasCapability(24) ? "-900" : "0", File.ReadAllText($"/proc/{_supervisor.Pid}/oom_score_adj").Trim());

        // ...as the unprivileged worker user as the host sees it, not uid 0 renamed inside a user namespace.
        Assert.All(inner.Append((worker.Pid, "")), p => Assert.Contains("Uid:\t65534\t65534\t65534\t65534", File.ReadAllText($"/proc/{p.Pid}/status"), StringComparison.Ordinal));

        await _supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = submitted.Id });
        await SessionStreams.WatchToEndAsync(_supervisor.Sessions, submitted.Id);
        await Poll.UntilAsync(() => !Directory.Exists(HostCgroups.Directory(cgroup)), TimeSpan.FromSeconds(15), () => $"cgroup {cgroup} still exists");
    }

    [CgroupFact]
    public async Task All_workers_together_are_capped_by_the_kernel_just_above_the_memory_budget()
    {
        var budget = (await _supervisor.Operator.GetStatusAsync(new GetStatusRequest())).MemoryBudgetBytes;
        var file = Path.Combine(HostCgroups.InstanceDirectory(_supervisor.StateDirectory), HostCgroups.Driver == "v1" ? "memory.limit_in_bytes" : "memory.max");

        // The budget (80% of this host's memory) plus room for workers being started and probed; the kernel rounds to its page.
        var cap = long.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(cap, budget + (384L << 20) - Environment.SystemPageSize, budget + (384L << 20));
    }

    [CgroupFact]
    public async Task Allocating_past_the_memory_limit_ends_the_session_as_oom_killed()
    {
        var input = _supervisor.AddInput(await HighResolutionClipAsync(), "hd.mp4");
        var spec = Specs.Mp4(input, _supervisor.Output("oom.mp4"));
        spec.Video = new VideoSettings { Codec = VideoCodec.H264, Preset = "medium" };
        spec.Profile = "tiny";

        // In one pass: a chunked session would be started on the ladder's cheapest rung, which fits in 96 MiB.
        spec.Checkpoints = new CheckpointSettings { Disabled = true };

        var (session, events) = await SessionStreams.RunAsync(_supervisor.Sessions, spec);

        Assert.True(session.State == SessionState.Failed && session.Failure.Reason == ErrorReason.OomKilled, $"{session}\n{SessionStreams.Describe(events)}\n{_supervisor.Log}");
        Assert.False(File.Exists(_supervisor.Output("oom.mp4")));

        // An OOM kill may be transient, so fresh workers tried again, each resuming, until the session's budget was spent.
        Assert.Equal(3, events.Count(e => e.WorkerRestarted?.Death == "oom_kill"));
        Assert.Equal(4, session.Attempts);
        Assert.Contains("restarts are used up", session.Failure.Message);
    }

    [CgroupFact]
    public async Task A_cgroup_left_by_a_killed_supervisor_is_emptied_and_removed_at_start()
    {
        // What a supervisor killed outright leaves behind: a worker cgroup, here with a process still in it.
        var killed = _supervisor;
        await killed.KillAsync();
        var instance = HostCgroups.InstanceDirectory(killed.StateDirectory);
        var stale = Directory.CreateDirectory(Path.Combine(instance, "w-stale")).FullName;
        using var sleeper = Process.Start("sleep", "600") ?? throw new InvalidOperationException("could not start sleep");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(stale, "cgroup.procs"), sleeper.Id.ToString());

            _supervisor = await SupervisorProcess.RestartAsync(killed);

            Assert.False(Directory.Exists(stale), $"{stale} survived the restart");
            await Poll.UntilAsync(() => sleeper.HasExited, TimeSpan.FromSeconds(5), () => $"pid {sleeper.Id}, in the stale cgroup, survived the restart");
        }
        finally
        {
            if (!sleeper.HasExited)
            {
                sleeper.Kill();
                await sleeper.WaitForExitAsync();
            }

            if (Directory.Exists(stale))
            {
                Directory.Delete(stale);
            }

            if (_supervisor != killed)
            {
                await killed.DisposeAsync();
            }
            else if (Directory.Exists(instance))
            {
                Directory.Delete(instance); // no successor to remove it
            }
        }
    }

    /// <summary>
    /// A 320x240 VP9 encode is estimated at ~107 MiB, so admission control gives its worker the
    /// minimum limits (memory.high and memory.max), well under the default profile's 2 GiB.
    /// </summary>
    public static long InputDerivedLimit { get; } = new Memory.EstimateOptions().MinimumLimitBytes;

    /// <summary>The default profile's limits (memory from the input): file → value, in the driver's own words.</summary>
    private static Dictionary<string, string> ExpectedLimits(string cgroup) => HostCgroups.Driver == "v1"
        ? new()
        {
            [HostCgroups.Directory(cgroup) + "/memory.limit_in_bytes"] = $"{InputDerivedLimit}",
            [HostCgroups.Directory(cgroup) + "/memory.soft_limit_in_bytes"] = $"{InputDerivedLimit}",
            [HostCgroups.Directory(cgroup, "pids") + "/pids.max"] = "64",
            [HostCgroups.Directory(cgroup, "cpu") + "/cpu.cfs_quota_us"] = "200000",
            [HostCgroups.Directory(cgroup, "cpu") + "/cpu.cfs_period_us"] = "100000",
            [HostCgroups.Directory(cgroup, "devices") + "/devices.list"] = "c 1:3 rw\nc 1:5 rw\nc 1:9 r",
        }
        : new()
        {
            [HostCgroups.Directory(cgroup) + "/memory.max"] = $"{InputDerivedLimit}",
            [HostCgroups.Directory(cgroup) + "/memory.high"] = $"{InputDerivedLimit}",
            [HostCgroups.Directory(cgroup) + "/memory.oom.group"] = "1",
            [HostCgroups.Directory(cgroup) + "/pids.max"] = "64",
            [HostCgroups.Directory(cgroup) + "/cpu.max"] = "200000 100000",
        };

    private async Task<string> HighResolutionClipAsync()
    {
        var path = _profiles.File("hd-source.mp4");
        await Ffmpeg.RunAsync("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30:duration=3", "-c:v", "libx264", "-preset", "ultrafast", path);
        return path;
    }
}
