using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// A supervisor killed outright (SIGKILL: no shutdown code runs) must not leave its workers running
/// on: each notices its supervisor is gone, stops its transcode and deletes its temporary output.
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

        await supervisor.KillAsync();

        var survivors = await WorkerProcesses.WaitUntilGoneAsync(supervisor.StateDirectory, SupervisorProcess.WorkerExitTimeout);
        Assert.True(survivors.Count == 0, $"workers outlived the supervisor by {SupervisorProcess.WorkerExitTimeout.TotalSeconds} s: {string.Join("; ", survivors)}");
        Assert.False(WorkerProcesses.IsAlive(running.WorkerPid));
        Assert.Empty(DirectoryEntries.Of(directory));
    }
}
