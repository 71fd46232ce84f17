using System.Diagnostics;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// Sessions stopped while their worker is transcoding: by Cancel and by their own deadline. Either
/// way the session ends in the right state with the right reason, the worker process is gone and no
/// output or half-written temporary file is left.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class StoppingSessionTests(TestClips clips, SupervisorFixture fixture) : IClassFixture<SupervisorFixture>
{
    private SupervisorProcess Supervisor => fixture.Supervisor;

    private SessionsClient Client => Supervisor.Sessions;

    [Fact]
    public async Task Cancel_mid_run_stops_the_worker_and_leaves_no_output()
    {
        var directory = Supervisor.OutputDirectory("cancel");
        var submitted = await SessionStreams.SubmitAsync(Client, Specs.SlowWebm(Supervisor.AddInput(clips.Long), Path.Combine(directory, "cancelled.webm")));
        await SessionStreams.WaitForProgressAsync(Client, submitted.Id);

        var running = await SessionStreams.GetAsync(Client, submitted.Id);
        Assert.Equal(SessionState.Running, running.State);
        Assert.True(WorkerProcesses.IsAlive(running.WorkerPid), $"worker pid {running.WorkerPid} is not alive while RUNNING");

        await Client.CancelAsync(new CancelRequest { SessionId = submitted.Id }, deadline: DateTime.UtcNow.AddSeconds(30));
        var events = await SessionStreams.WatchToEndAsync(Client, submitted.Id);

        var end = events[^1].StateChanged;
        Assert.Equal((SessionState.Cancelled, ErrorReason.Cancelled), (end?.State, end?.Failure?.Reason));
        var session = await SessionStreams.GetAsync(Client, submitted.Id);
        Assert.Equal((SessionState.Cancelled, ErrorReason.Cancelled), (session.State, session.Failure?.Reason));
        Assert.Equal("", session.OutputPath);

        await AssertWorkerGoneAsync(running.WorkerPid);
        Assert.Empty(DirectoryEntries.Of(directory));
    }

    [Fact]
    public async Task Deadline_exceeded_mid_run_fails_the_session()
    {
        var directory = Supervisor.OutputDirectory("deadline");
        var clock = Stopwatch.StartNew();
        var (session, events) = await SessionStreams.RunAsync(
            Client, Specs.SlowWebm(Supervisor.AddInput(clips.Long), Path.Combine(directory, "late.webm"), deadline: TimeSpan.FromSeconds(1)));
        clock.Stop();

        Assert.Equal((SessionState.Failed, ErrorReason.DeadlineExceeded), (session.State, session.Failure?.Reason));
        var end = events[^1].StateChanged;
        Assert.Equal((SessionState.Failed, ErrorReason.DeadlineExceeded), (end?.State, end?.Failure?.Reason));

        // The whole transcode takes well over 10 s here: ending this soon means the deadline cut it off.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the session took {clock.Elapsed.TotalSeconds:0.0} s to end with a 1 s deadline");
        await AssertWorkerGoneAsync(pid: null);
        Assert.Empty(DirectoryEntries.Of(directory));
    }

    /// <summary>The session's worker exits (it may finish a moment after the terminal event) and the registry forgets it.</summary>
    private async Task AssertWorkerGoneAsync(int? pid)
    {
        Assert.Empty(await WorkerProcesses.WaitUntilGoneAsync(Supervisor.StateDirectory, SupervisorProcess.WorkerExitTimeout));
        if (pid is { } p)
        {
            Assert.False(WorkerProcesses.IsAlive(p), $"worker pid {p} is still alive");
        }

        await Poll.UntilAsync(
            async () => (await Supervisor.Operator.ListWorkersAsync(new ListWorkersRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Workers.Count == 0,
            SupervisorProcess.WorkerExitTimeout,
            () => "ListWorkers still lists a worker");
    }
}
