using Google.Protobuf;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Cli;

/// <summary>
/// The <c>sandbox</c> client commands from the README, run as separate processes against a running
/// supervisor: exit codes and output as an operator or a script sees them.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class OperatorCliTests(TestClips clips, SupervisorFixture fixture) : IClassFixture<SupervisorFixture>
{
    private SupervisorProcess Supervisor => fixture.Supervisor;

    [Fact]
    public async Task Status_describes_the_supervisor()
    {
        var result = await SandboxCli.RunAsync("status", "--socket", Supervisor.Socket);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.StartsWith("sandbox ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("workers: ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("libx264", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_watch_then_get_list_and_workers()
    {
        var output = Supervisor.Output("cli.mp4");
        var submit = await SandboxCli.RunAsync(
            "submit", Supervisor.AddInput(clips.Short), output, "--video-codec", "h264", "--preset", "ultrafast", "--watch", "--socket", Supervisor.Socket);
        Assert.True(submit.ExitCode == 0, $"exit {submit.ExitCode}: {submit.StandardError}\n{submit.StandardOutput}");
        var lines = submit.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var id = lines[0];
        Assert.Matches("^s-[0-9a-f]{16}$", id);
        Assert.Contains(lines, l => l.Contains("QUEUED", StringComparison.Ordinal));
        Assert.EndsWith("COMPLETED", lines[^1], StringComparison.Ordinal);
        Assert.Equal("h264", (await FfprobeReport.ProbeAsync(output)).Video.CodecName);

        var get = await SandboxCli.RunAsync("get", id, "--socket", Supervisor.Socket);
        Assert.True(get.ExitCode == 0, get.StandardError);
        Assert.Contains($"{id}  COMPLETED", get.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"output {output}", get.StandardOutput, StringComparison.Ordinal);

        // --json is protobuf JSON, one object per line: what scripts parse.
        var list = await SandboxCli.RunAsync("list", "--json", "--socket", Supervisor.Socket);
        Assert.True(list.ExitCode == 0, list.StandardError);
        var response = JsonParser.Default.Parse<ListSessionsResponse>(list.StandardOutput.Trim());
        var listed = Assert.Single(response.Sessions, s => s.Id == id);
        Assert.Equal((SessionState.Completed, output), (listed.State, listed.OutputPath));

        // The worker exits just after its session's last event: once it has, none is listed.
        await Poll.UntilAsync(
            async () => (await Supervisor.Operator.ListWorkersAsync(new ListWorkersRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Workers.Count == 0,
            SupervisorProcess.WorkerExitTimeout,
            () => "the finished session's worker is still listed");
        var workers = await SandboxCli.RunAsync("workers", "--socket", Supervisor.Socket);
        Assert.True(workers.ExitCode == 0, workers.StandardError);
        Assert.Equal("no workers", workers.StandardOutput.Trim());
    }

    [Fact]
    public async Task Workers_lists_the_worker_of_a_running_session()
    {
        var session = await SessionStreams.SubmitAsync(
            Supervisor.Sessions, Specs.SlowWebm(Supervisor.AddInput(clips.Long), Path.Combine(Supervisor.OutputDirectory("cli-workers"), "slow.webm")));
        try
        {
            await SessionStreams.WaitForProgressAsync(Supervisor.Sessions, session.Id);
            var pid = (await SessionStreams.GetAsync(Supervisor.Sessions, session.Id)).WorkerPid;

            // A table: a header, then the worker's state, pid, session, memory against its limit, pressure, rung, restarts.
            var workers = await SandboxCli.RunAsync("workers", "--socket", Supervisor.Socket);
            Assert.True(workers.ExitCode == 0, workers.StandardError);
            var lines = workers.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.Matches("^WORKER +PID +STATE +SESSION +MEMORY/LIMIT +MPI +RUNG +RESTARTS +CPU$", lines[0]);
            Assert.Matches($"^w-[0-9a-f]+ +{pid} +BUSY +{session.Id} +[0-9]+/[0-9]+ MiB +[0-9.]+ +[a-z_-]+ +0 +[0-9.]+ s$", lines[1]);

            // --watch redraws it: piped, the snapshots follow each other, a blank line between them.
            var watched = await SandboxCli.RunAsync("workers", "--watch", "--count", "2", "--interval", "0.2", "--socket", Supervisor.Socket);
            Assert.True(watched.ExitCode == 0, watched.StandardError);
            var snapshots = watched.StandardOutput.Trim().Split("\n\n");
            Assert.Equal(2, snapshots.Length);
            Assert.All(snapshots, snapshot => Assert.StartsWith("WORKER ", snapshot, StringComparison.Ordinal));
            var status = await SandboxCli.RunAsync("status", "--watch", "--count", "2", "--interval", "0.2", "--json", "--socket", Supervisor.Socket);
            Assert.Equal(2, status.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith('{')));

            var cancel = await SandboxCli.RunAsync("cancel", session.Id, "--socket", Supervisor.Socket);
            Assert.True(cancel.ExitCode == 0, cancel.StandardError);
        }
        finally
        {
            // Whatever failed above, the session must not keep the next test's cores busy.
            try
            {
                await Supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = session.Id }, deadline: DateTime.UtcNow.AddSeconds(10));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                // Already ended (SESSION_FINISHED), as it should have by now.
            }
        }

        var events = await SessionStreams.WatchToEndAsync(Supervisor.Sessions, session.Id);
        Assert.Equal(SessionState.Cancelled, events[^1].StateChanged?.State);
    }

    [Fact]
    public async Task Quarantine_lists_and_clears_quarantined_inputs()
    {
        var list = await SandboxCli.RunAsync("quarantine", "--socket", Supervisor.Socket);
        Assert.True(list.ExitCode == 0, list.StandardError);
        Assert.Equal("no quarantined inputs", list.StandardOutput.Trim());

        var clear = await SandboxCli.RunAsync("quarantine", "clear", "--all", "--socket", Supervisor.Socket);
        Assert.True(clear.ExitCode == 0, clear.StandardError);
        Assert.Equal("cleared 0", clear.StandardOutput.Trim());

        var usage = await SandboxCli.RunAsync("quarantine", "clear", "--socket", Supervisor.Socket);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("clear FINGERPRINT, or clear --all", usage.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_exit_non_zero_with_the_reason()
    {
        var unknown = await SandboxCli.RunAsync("get", "s-0000000000000000", "--socket", Supervisor.Socket);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("SESSION_NOT_FOUND", unknown.StandardError, StringComparison.Ordinal);

        var outside = await SandboxCli.RunAsync("submit", "/etc/passwd", Supervisor.Output("passwd.mp4"), "--socket", Supervisor.Socket);
        Assert.Equal(1, outside.ExitCode);
        Assert.Contains("PATH_NOT_ALLOWED", outside.StandardError, StringComparison.Ordinal);

        var badSpec = await SandboxCli.RunAsync("submit", Supervisor.AddInput(clips.Short), Supervisor.Output("bad.mp4"), "--width", "100000", "--socket", Supervisor.Socket);
        Assert.Equal(2, badSpec.ExitCode);
        Assert.Contains("video.width", badSpec.StandardError, StringComparison.Ordinal);
    }
}
