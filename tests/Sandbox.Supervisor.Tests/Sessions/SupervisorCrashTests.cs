using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// A supervisor killed outright (SIGKILL: no shutdown code runs) must not leave its workers running
/// on: each notices its supervisor is gone, stops its transcode and deletes its temporary output.
/// What only the supervisor can clean (its cgroups, sockets, state, the session's output staging
/// directory) the next one cleans at start.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class SupervisorCrashTests(TestClips clips)
{
    [Fact]
    public async Task Killing_the_supervisor_mid_session_leaves_no_worker_and_no_output()
    {
        await using var supervisor = await SupervisorProcess.StartAsync();
        var directory = supervisor.OutputDirectory("crash");
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, Specs.SlowWebm(supervisor.AddInput(clips.Long), Path.Combine(directory, "orphan.webm")));
        await SessionStreams.WaitForProgressAsync(supervisor.Sessions, submitted.Id);
        var running = await SessionStreams.GetAsync(supervisor.Sessions, submitted.Id);
        Assert.Equal(SessionState.Running, running.State);
        Assert.True(WorkerProcesses.IsAlive(running.WorkerPid), $"worker pid {running.WorkerPid} is not alive while RUNNING");

        var cgroup = HostCgroups.Directory(Assert.Single((await supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers).Usage.Cgroup);

        await supervisor.KillAsync();

        var survivors = await WorkerProcesses.WaitUntilGoneAsync(supervisor.StateDirectory, SupervisorProcess.WorkerExitTimeout);
        Assert.True(survivors.Count == 0, $"workers outlived the supervisor by {SupervisorProcess.WorkerExitTimeout.TotalSeconds} s: {string.Join("; ", survivors)}");
        Assert.False(WorkerProcesses.IsAlive(running.WorkerPid));

        // No output file, partial or not: the staging directory holds at most the session's
        // checkpoints, and it is the supervisor's to remove.
        var staging = Assert.Single(DirectoryEntries.Of(directory));
        Assert.StartsWith(".sandbox-", staging, StringComparison.Ordinal);
        var left = DirectoryEntries.Of(Path.Combine(directory, staging));
        Assert.True(left.Count == 0 || left.SequenceEqual(["checkpoints"]), $"the staging directory holds {string.Join(", ", left)}");

        // The killed supervisor's worker cgroup is still there; its successor removes it at start.
        Assert.True(Directory.Exists(cgroup), $"{cgroup} is gone before any supervisor could remove it");
        await using var restarted = await SupervisorProcess.RestartAsync(supervisor);
        Assert.False(Directory.Exists(cgroup), $"{cgroup} survived the restart");
        Assert.Empty(DirectoryEntries.Of(directory));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(restarted.StateDirectory, "workers")));
    }
}
