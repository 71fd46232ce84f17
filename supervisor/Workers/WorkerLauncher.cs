using CliWrap;
using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Isolation.Cgroups;
using Sandbox.Supervisor.Isolation.Identity;
using Sandbox.Supervisor.Isolation.Namespaces;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Isolation.Seccomp;

namespace Sandbox.Supervisor.Workers;

/// <summary>
/// Starts one worker process per session (CliWrap) — on demand, or ahead of time for the warm
/// pool — each listening on a Unix socket in its own
/// directory, and returns once the worker printed READY — no polling. The worker's stdin is a pipe
/// the supervisor never writes to: when the supervisor dies the kernel closes it and the worker exits.
/// </summary>
internal sealed class WorkerLauncher(
    IOptions<SupervisorOptions> options,
    WorkerCommand command,
    ICgroupDriver cgroups,
    SeccompPrograms seccomp,
    WorkerUser user,
    TimeProvider time,
    ILogger<WorkerLauncher> logger)
{
    private readonly SupervisorOptions _options = options.Value;

    /// <summary>Whether workers get fresh namespaces (bubblewrap), as reported by GetStatus.</summary>
    public bool UsesNamespaces => _options.Namespaces == "bwrap" || (_options.Namespaces == "auto" && Bubblewrap.IsAvailable);

    /// <summary>
    /// Whether warm workers can be started: without namespaces they see the host's paths anyway;
    /// with them, only root can mount a session's files into a running worker's view.
    /// </summary>
    public bool CanStartWarm => !UsesNamespaces || Environment.IsPrivilegedProcess;

    private string Exchanges => Path.Combine(_options.StateDirectory, "exchange");

    /// <summary>Starts a worker for <paramref name="sessionId"/>: its sandbox sees the request's input and output directory.</summary>
    public Task<WorkerHandle> StartAsync(string sessionId, SandboxProfile profile, TranscodeRequest request, CancellationToken cancellationToken) =>
        LaunchAsync(NewId(), sessionId, profile, null, directory => new SandboxView(command.ProgramDirectories, directory, request.InputPath, Path.GetDirectoryName(request.OutputPath)!), cancellationToken);

    /// <summary>
    /// Starts a warm worker for the pool: sandboxed and READY, but with no session's files in view
    /// until <see cref="WorkerHandle.Assign"/> attaches them through its exchange directory.
    /// </summary>
    /// <exception cref="IOException">The exchange directory cannot be made (see <see cref="CanStartWarm"/>).</exception>
    public async Task<WorkerHandle> StartWarmAsync(SandboxProfile profile, CancellationToken cancellationToken)
    {
        var id = NewId();
        var exchange = UsesNamespaces ? ExchangeDirectory.Create(Path.Combine(Exchanges, id)) : null;
        try
        {
            return await LaunchAsync(id, "", profile, exchange, directory => new SandboxView(command.ProgramDirectories, directory, null, exchange!.Path), cancellationToken);
        }
        catch
        {
            exchange?.Dispose();
            throw;
        }
    }

    private static string NewId() => $"w-{Guid.NewGuid():N}"[..14];

    private async Task<WorkerHandle> LaunchAsync(
        string id, string sessionId, SandboxProfile profile, ExchangeDirectory? exchange, Func<string, SandboxView> view, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_options.StateDirectory, "workers", id);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        user.Own(directory);
        var socket = Path.Combine(directory, "worker.sock");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new WorkerOutputTail();
        var kill = new CancellationTokenSource();
        var cgroup = cgroups.Create(id, profile);
        var environment = new Dictionary<string, string>(profile.Environment ?? new Dictionary<string, string>()) { ["DOTNET_EnableDiagnostics"] = "0" };
        IReadOnlyList<string> worker = [command.FileName, .. command.Arguments, "serve", "--socket", socket, .. _options.EnableFaultInjection ? [Worker.Rpc.ServeSwitches.AllowFaultInjection] : Array.Empty<string>()];
        string? filter = null;
        if (UsesNamespaces)
        {
            filter = seccomp.PathFor(profile.Name!);
            worker = Bubblewrap.Wrap(profile, view(directory), environment, worker, SeccompPrograms.Descriptor);
        }

        var (fileName, arguments) = Prelude(cgroup, filter, [.. user.Prefix, .. worker]);

        var process = CliWrap.Cli.Wrap(fileName)
            .WithArguments(arguments)
            .WithEnvironmentVariables(environment.ToDictionary(kv => kv.Key, string? (kv) => kv.Value))
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
        var handle = new WorkerHandle(id, sessionId, process.ProcessId, directory, socket, process, kill, stderr, cgroup, exchange, time.GetUtcNow());
        try
        {
            // Start-up is judged by the hang rule too: a worker starved by a busy host gets more time.
            var stuck = new TaskCompletionSource<Hangs.HangVerdict>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (new Hangs.ProgressWatchdog(
                new Hangs.HangRuleOptions(_options.WorkerStartTimeout),
                cgroup.ReadCpu,
                time,
                onStarved: verdict => logger.LogWarning("worker {Worker} is starved of CPU while it starts ({Verdict}): it gets more time", id, verdict.Describe()),
                onHung: verdict => stuck.TrySetResult(verdict)))
            {
                var first = await Task.WhenAny(ready.Task, process.Task, stuck.Task, Task.Delay(Timeout.Infinite, cancellationToken));
                if (first != ready.Task)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var why = handle.HasExited
                        ? $"the worker exited with code {handle.ExitCode} before it was ready"
                        : $"the worker was not ready: {stuck.Task.Result.Describe()}";
                    throw new WorkerStartException($"{why}: {stderr.Text}");
                }
            }

            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("worker {Worker} (pid {Pid}) ready for {Session}", id, handle.Pid, sessionId.Length > 0 ? $"session {sessionId}" : "the warm pool");
            }
            return handle;
        }
        catch
        {
            await handle.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The worker must be in its cgroup before its first instruction: a shell writes its own pid into
    /// each <c>cgroup.procs</c> and then becomes the worker with <c>exec</c>, keeping that pid; the
    /// same <c>exec</c> opens the seccomp program on the descriptor bubblewrap reads it from. The
    /// shell first makes itself (and so the worker) the OOM killer's first choice. The command starts
    /// with setpriv when the worker runs as another user: cgroup first (as root), then the drop, then
    /// the namespaces.
    /// </summary>
    private static (string FileName, IReadOnlyList<string> Arguments) Prelude(IWorkerCgroup cgroup, string? seccompProgram, IReadOnlyList<string> command)
    {
        var steps = new List<string> { Memory.OomScore.WorkerPreludeStep };
        steps.AddRange(cgroup.ProcsFiles.Select(f => $"echo $$ > '{f}'"));
        var redirect = seccompProgram is null ? "" : $" {SeccompPrograms.Descriptor}< '{seccompProgram}'";
        steps.Add($"exec \"$0\" \"$@\"{redirect}");
        return ("/bin/sh", ["-c", string.Join(" && ", steps), .. command]);
    }
}
