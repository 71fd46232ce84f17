using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>
/// A supervisor without root, given a cgroup v2 subtree of its own (what systemd's <c>Delegate=yes</c>
/// does: the directory and its <c>cgroup.procs</c>, <c>cgroup.subtree_control</c> and
/// <c>cgroup.threads</c> handed to its user), moves itself into a leaf of that subtree and makes its
/// workers' cgroups beside it, with their limits.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class DelegatedSubtreeTests(TestClips clips) : IDisposable
{
    private const int Nobody = 65534;

    private readonly string _subtree = $"/sys/fs/cgroup/sandbox-tests-delegated-{Guid.NewGuid():N}";

    public void Dispose()
    {
        if (!Directory.Exists(_subtree))
        {
            return;
        }

        // Deepest first; killed processes take a moment to leave (rmdir fails with EBUSY until then).
        foreach (var directory in Directory.EnumerateDirectories(_subtree, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(_subtree))
        {
            File.WriteAllText(Path.Combine(directory, "cgroup.kill"), "1");
            for (var attempt = 0; !TryRemove(directory) && attempt < 500; attempt++)
            {
                Thread.Sleep(20);
            }
        }
    }

    [CgroupV2Fact]
    public async Task A_supervisor_without_root_runs_its_workers_in_its_delegated_subtree()
    {
        Delegate();
        var settings = new SupervisorSettings(
            LaunchPrefix: ["/bin/sh", "-c", $"echo $$ > '{_subtree}/cgroup.procs' && exec setpriv --reuid={Nobody} --regid={Nobody} --clear-groups -- \"$@\"", "sh"],
            Owner: (Nobody, Nobody));
        await using var supervisor = await SupervisorProcess.StartAsync(settings);

        Assert.Equal("v2", (await supervisor.Operator.GetStatusAsync(new GetStatusRequest())).Host.CgroupDriver);
        Assert.Contains($"0::{_subtree["/sys/fs/cgroup".Length..]}/supervisor", await File.ReadAllLinesAsync($"/proc/{supervisor.Pid}/cgroup"));

        var spec = Specs.SlowWebm(supervisor.AddInput(clips.Long), supervisor.Output("delegated.webm"));
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, spec);
        await SessionStreams.WaitForProgressAsync(supervisor.Sessions, submitted.Id);
        var worker = Assert.Single((await supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers);

        Assert.StartsWith(_subtree["/sys/fs/cgroup".Length..] + "/s", worker.Usage.Cgroup, StringComparison.Ordinal);
        Assert.Equal((CgroupTests.InputDerivedLimit, 64L), (worker.Usage.MemoryMaxBytes, worker.Usage.PidsMax));
        Assert.Contains($"Uid:\t{Nobody}\t", await File.ReadAllTextAsync($"/proc/{worker.Pid}/status"), StringComparison.Ordinal);

        await supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = submitted.Id });
        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id);
        Assert.Equal(SessionState.Cancelled, events[^1].StateChanged?.State);
        await Poll.UntilAsync(() => !Directory.Exists("/sys/fs/cgroup" + worker.Usage.Cgroup), TimeSpan.FromSeconds(15), () => $"{worker.Usage.Cgroup} still exists");
    }

    [CgroupV2Fact]
    public async Task A_root_supervisor_told_to_uses_the_subtree_it_was_started_in()
    {
        // systemd's Delegate=yes for a root service: the unit's own cgroup, not /sys/fs/cgroup/sandbox.
        File.WriteAllText("/sys/fs/cgroup/cgroup.subtree_control", "+memory +pids +cpu");
        Directory.CreateDirectory(_subtree);
        var settings = new SupervisorSettings(
            LaunchPrefix: ["/bin/sh", "-c", $"echo $$ > '{_subtree}/cgroup.procs' && exec \"$@\"", "sh"],
            Environment: new Dictionary<string, string> { ["Sandbox__CgroupDriver"] = "delegated" });
        await using var supervisor = await SupervisorProcess.StartAsync(settings);

        Assert.Contains($"0::{_subtree["/sys/fs/cgroup".Length..]}/supervisor", await File.ReadAllLinesAsync($"/proc/{supervisor.Pid}/cgroup"));
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, Specs.SlowWebm(supervisor.AddInput(clips.Long), supervisor.Output("delegated-root.webm")));
        await SessionStreams.WaitForProgressAsync(supervisor.Sessions, submitted.Id);
        var worker = Assert.Single((await supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers);
        Assert.StartsWith(_subtree["/sys/fs/cgroup".Length..] + "/s", worker.Usage.Cgroup, StringComparison.Ordinal);
        Assert.Equal(64L, worker.Usage.PidsMax);

        await supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = submitted.Id });
        await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id);
    }

    [CgroupV2Fact]
    public async Task Told_to_it_uses_the_root_of_a_private_cgroup_namespace_as_a_container_gives_it()
    {
        // What Docker does on v2 by default: a cgroup namespace rooted at the container's cgroup, and
        // cgroup2 mounted afresh, so the supervisor sees "0::/" and /sys/fs/cgroup is its own subtree.
        File.WriteAllText("/sys/fs/cgroup/cgroup.subtree_control", "+memory +pids +cpu");
        Directory.CreateDirectory(_subtree);
        var settings = new SupervisorSettings(
            LaunchPrefix:
            [
                "/bin/sh", "-c",
                $"echo $$ > '{_subtree}/cgroup.procs' && exec unshare --cgroup --mount /bin/sh -c 'umount /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec \"$@\"' sh \"$@\"",
                "sh",
            ],
            Environment: new Dictionary<string, string> { ["Sandbox__CgroupDriver"] = "delegated" });
        await using var supervisor = await SupervisorProcess.StartAsync(settings);

        Assert.Equal("v2", (await supervisor.Operator.GetStatusAsync(new GetStatusRequest())).Host.CgroupDriver);
        Assert.Contains($"0::{_subtree["/sys/fs/cgroup".Length..]}/supervisor", await File.ReadAllLinesAsync($"/proc/{supervisor.Pid}/cgroup"));
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, Specs.SlowWebm(supervisor.AddInput(clips.Long), supervisor.Output("delegated-namespace.webm")));
        await SessionStreams.WaitForProgressAsync(supervisor.Sessions, submitted.Id);
        var worker = Assert.Single((await supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers);

        // The worker's cgroup, as the supervisor names it inside its namespace, is under the container's subtree on the host.
        Assert.True(Directory.Exists(_subtree + worker.Usage.Cgroup), $"{_subtree}{worker.Usage.Cgroup} does not exist");
        Assert.Equal(64L, worker.Usage.PidsMax);

        await supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = submitted.Id });
        await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id);
    }

    /// <summary>As systemd delegates a subtree: the directory and the files that let its owner manage it.</summary>
    private void Delegate()
    {
        File.WriteAllText("/sys/fs/cgroup/cgroup.subtree_control", "+memory +pids +cpu");
        Directory.CreateDirectory(_subtree);
        foreach (var entry in new[] { "", "cgroup.procs", "cgroup.subtree_control", "cgroup.threads" })
        {
            Worker.Interop.FileStatus.ChangeOwner(Path.Combine(_subtree, entry), Nobody, Nobody);
        }

    }

    private static bool TryRemove(string directory)
    {
        try
        {
            Directory.Delete(directory);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
