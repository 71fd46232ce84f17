using Grpc.Core.Interceptors;
using CliWrap;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Isolation.Cgroups;
using Sandbox.Supervisor.Isolation.Namespaces;
using WorkerClient = Sandbox.Api.Worker.V1.Worker.WorkerClient;

namespace Sandbox.Supervisor.Workers;

/// <summary>
/// A running worker process: its pid, its Unix socket and a gRPC client on it. Disposing it makes
/// sure the process is gone (killed if it has not exited) and removes its socket directory.
/// </summary>
internal sealed class WorkerHandle : IAsyncDisposable
{
    private readonly CancellationTokenSource _kill;
    private readonly GrpcChannel _channel;
    private readonly WorkerOutputTail _stderr;
    private readonly ExchangeDirectory? _exchange;

    public WorkerHandle(
        string id,
        string sessionId,
        int pid,
        string directory,
        string socket,
        CommandTask<CommandResult> exit,
        CancellationTokenSource kill,
        WorkerOutputTail stderr,
        IWorkerCgroup cgroup,
        ExchangeDirectory? exchange,
        DateTimeOffset startedAt)
    {
        _exchange = exchange;
        Cgroup = cgroup;
        Id = id;
        SessionId = sessionId;
        Pid = pid;
        Directory = directory;
        Socket = socket;
        Exit = exit;
        _kill = kill;
        _stderr = stderr;
        StartedAt = startedAt;
        _channel = UnixSocketChannel.Create(socket);
        Client = new WorkerClient(_channel.Intercept(new Telemetry.TraceContextInterceptor()));
        Faults = new FaultInjection.FaultInjectionClient(_channel);
    }

    public string Id { get; }

    /// <summary>The session the worker serves; empty while a warm worker waits in the pool.</summary>
    public string SessionId { get; private set; }

    /// <summary>
    /// Gives the worker its session (once: workers are single-use) and returns the request as the
    /// worker must get it: unchanged for a worker started for the session; for a warm sandboxed one,
    /// with the input and the staging directory attached to its exchange directory and the paths rewritten.
    /// </summary>
    /// <exception cref="IOException">The session's files cannot be attached.</exception>
    public TranscodeRequest Assign(string sessionId, TranscodeRequest request, string stagingDirectory)
    {
        if (SessionId.Length > 0 && SessionId != sessionId)
        {
            throw new InvalidOperationException($"worker {Id} already served session {SessionId}");
        }

        SessionId = sessionId;
        return _exchange?.Attach(request, stagingDirectory) ?? request;
    }

    /// <summary>A path the worker reported, as it is on the host.</summary>
    public string ToHost(string workerPath) => _exchange?.ToHost(workerPath) ?? workerPath;

    public int Pid { get; }

    public string Directory { get; }

    public string Socket { get; }

    public IWorkerCgroup Cgroup { get; }

    public DateTimeOffset StartedAt { get; }

    public WorkerClient Client { get; }

    /// <summary>
    /// The fault the chaos API injected into this worker, by name, unless it stood for one the input
    /// caused: a death that follows is not held against the input. Null when none was.
    /// </summary>
    public string? InjectedFault { get; set; }

    /// <summary>The worker's FaultInjection service (served only by workers started with --allow-fault-injection).</summary>
    public FaultInjection.FaultInjectionClient Faults { get; }

    /// <summary>
    /// SIGKILLs every process of the worker now, as the kernel or an operator would (the hang
    /// watchdog, the Chaos service). Signalled directly rather than through the process runner,
    /// which would first close the worker's stdin: a worker that saw that before the signal would
    /// report a cancel of its own instead of dying.
    /// </summary>
    public void Kill() => ProcessSignals.Send(WorkerProcessTree.Snapshot(Pid, Cgroup), ProcessSignals.SIGKILL);

    /// <summary>Completes when the process exits (faults when it was killed by us).</summary>
    public CommandTask<CommandResult> Exit { get; }

    public bool HasExited => Exit.Task.IsCompleted;

    /// <summary>The last lines the worker wrote to stderr, for diagnosing a failure.</summary>
    public string StandardErrorTail => _stderr.Text;

    public global::Sandbox.Api.V1.Worker ToApi(global::Sandbox.Api.V1.WorkerState state) => new()
    {
        Id = Id,
        Pid = Pid,
        SessionId = SessionId,
        State = state,
        StartedAt = Timestamp.FromDateTimeOffset(StartedAt),
        Socket = Socket,
    };

    /// <summary>Waits up to <paramref name="grace"/> for the process to exit by itself, then kills it.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!HasExited)
        {
            await Task.WhenAny(Exit.Task, Task.Delay(grace));
        }

        if (!HasExited)
        {
            await _kill.CancelAsync();
        }

        try
        {
            await Exit;
        }
        catch (OperationCanceledException)
        {
            // Killed on purpose.
        }
    }

    /// <summary>The exit code once exited (128 + signal for a signal death), or null.</summary>
    public int? ExitCode => Exit.Task.IsCompletedSuccessfully ? Exit.Task.Result.ExitCode : null;

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        _channel.Dispose();
        _kill.Dispose();
        Cgroup.Destroy();
        try
        {
            _exchange?.Dispose();
        }
        catch (IOException)
        {
            // Still mounted (the kernel refused): the next supervisor start removes it.
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
