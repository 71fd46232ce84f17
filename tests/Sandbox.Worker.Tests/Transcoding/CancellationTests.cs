using System.Diagnostics;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Transcoding;

/// <summary>
/// SIGTERM is how the supervisor will ask a worker to stop: the worker must cancel the transcode,
/// report CANCELLED, exit 130, and leave no output or temporary file behind.
/// </summary>
[Collection(ClipCollection.Name)]
public sealed class CancellationTests(ClipLibrary clips) : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Sigterm_mid_transcode_cancels_cleanly()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "sandbox-worker.dll"), "transcode", clips.LongMp4.Path, _work.File("out.webm"), "--json" })
        {
            start.ArgumentList.Add(argument);
        }

        using var worker = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(WorkerProcess.Timeout);
        try
        {
            var stderr = worker.StandardError.ReadToEndAsync(timeout.Token);

            // The first progress line proves the transcode is under way with its output open.
            var firstLine = await worker.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.Contains("\"progress\"", firstLine);
            var kill = await ChildProcess.RunAsync("kill", ["-TERM", worker.Id.ToString()], TimeSpan.FromSeconds(10));
            Assert.Equal(0, kill.ExitCode);

            var rest = await worker.StandardOutput.ReadToEndAsync(timeout.Token);
            await worker.WaitForExitAsync(timeout.Token);

            var result = WorkerResult.Parse("sandbox-worker transcode (SIGTERM)", new ChildProcessResult(worker.ExitCode, firstLine + "\n" + rest, await stderr));
            WorkerAssert.Failed(result, WorkerExitCode.Cancelled, ErrorReason.CANCELLED);
            Assert.Empty(_work.EntryNames());
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
            }
        }
    }
}
