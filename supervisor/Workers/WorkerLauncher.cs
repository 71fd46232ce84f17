using CliWrap;
using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;

namespace Sandbox.Supervisor.Workers;

/// <summary>
/// Starts one worker process per session (CliWrap), each listening on a Unix socket in its own
/// directory, and returns once the worker printed READY — no polling. The worker's stdin is a pipe
/// the supervisor never writes to: when the supervisor dies the kernel closes it and the worker exits.
/// </summary>
internal sealed class WorkerLauncher(IOptions<SupervisorOptions> options, WorkerCommand command, TimeProvider time, ILogger<WorkerLauncher> logger)
{
    private readonly SupervisorOptions _options = options.Value;

    public async Task<WorkerHandle> StartAsync(string sessionId, CancellationToken cancellationToken)
    {
        var id = $"w-{Guid.NewGuid():N}"[..14];
        var directory = Path.Combine(_options.StateDirectory, "workers", id);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var socket = Path.Combine(directory, "worker.sock");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new WorkerOutputTail();
        var kill = new CancellationTokenSource();

        var process = CliWrap.Cli.Wrap(command.FileName)
            .WithArguments([.. command.Arguments, "serve", "--socket", socket])
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["DOTNET_EnableDiagnostics"] = "0" })
            .WithStandardInputPipe(PipeSource.Create(async (_, token) => await Task.Delay(Timeout.Infinite, token)))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line =>
            {
                if (line == "READY")
                {
                    ready.TrySetResult();
                }
            }))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(stderr.Add))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(kill.Token);
        var handle = new WorkerHandle(id, sessionId, process.ProcessId, directory, socket, process, kill, stderr, time.GetUtcNow());
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.WorkerStartTimeout);
            var first = await Task.WhenAny(ready.Task, process.Task, Task.Delay(Timeout.Infinite, timeout.Token));
            if (first != ready.Task)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var why = handle.HasExited
                    ? $"the worker exited with code {handle.ExitCode} before it was ready"
                    : $"the worker was not ready within {_options.WorkerStartTimeout.TotalSeconds:0.#} s";
                throw new WorkerStartException($"{why}: {stderr.Text}");
            }

            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("worker {Worker} (pid {Pid}) ready for session {Session}", id, handle.Pid, sessionId);
            }
            return handle;
        }
        catch
        {
            await handle.DisposeAsync();
            throw;
        }
    }
}
