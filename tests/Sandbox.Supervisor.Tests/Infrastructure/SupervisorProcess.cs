using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// The real supervisor, <c>dotnet sandbox.dll serve</c>, as a child process with its own socket,
/// state directory and input/output roots in a fresh temp directory. Ready once grpc.health.v1 says
/// SERVING. Disposing it stops the supervisor, checks that none of its workers outlived it and deletes
/// everything.
/// </summary>
public sealed class SupervisorProcess : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TestTime.Limit(TimeSpan.FromSeconds(30));

    /// <summary>Time for a worker to notice its supervisor is gone (stdin EOF, then at most a 5 s grace) and exit.</summary>
    public static readonly TimeSpan WorkerExitTimeout = TestTime.Limit(TimeSpan.FromSeconds(15));

    private static readonly TimeSpan StopTimeout = TestTime.Limit(TimeSpan.FromSeconds(20));
    private const int LogLines = 5000;

    private readonly TempDirectory _root;
    private bool _rootHandedOver;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private SupervisorProcess(TempDirectory root, Process process)
    {
        _root = root;
        _process = process;
        Channel = UnixSocketChannel.Create(Socket);
        Sessions = new SessionsClient(Channel);
        Operator = new SandboxClient(Channel);
        Health = new Health.HealthClient(Channel);
    }

    public string Directory => _root.Path;

    public string Socket => _root.File("s.sock");

    /// <summary>Unique per supervisor: its workers' command lines contain it, which is how leaks are found.</summary>
    public string StateDirectory => _root.File("state");

    public string InputRoot => _root.File("in");

    public string OutputRoot => _root.File("out");

    public string UploadsDirectory => Path.Combine(StateDirectory, "uploads");

    public int Pid => _process.Id;

    public GrpcChannel Channel { get; }

    public SessionsClient Sessions { get; }

    public SandboxClient Operator { get; }

    public Health.HealthClient Health { get; }

    /// <summary>The supervisor's last log lines (up to 5000), for failure messages.</summary>
    public string Log => string.Join('\n', _log);

    public static Task<SupervisorProcess> StartAsync(SupervisorSettings? settings = null)
    {
        var root = new TempDirectory();
        root.Subdirectory("in");
        root.Subdirectory("out");
        return StartAsync(settings ?? SupervisorSettings.Default, root);
    }

    /// <summary>
    /// Starts a new supervisor on the directories of one that was killed, as a restarted service
    /// would be: same socket, state directory and roots. The new one owns them from now on.
    /// </summary>
    public static Task<SupervisorProcess> RestartAsync(SupervisorProcess killed, SupervisorSettings? settings = null)
    {
        killed._rootHandedOver = true;
        return StartAsync(settings ?? SupervisorSettings.Default, killed._root);
    }

    private static async Task<SupervisorProcess> StartAsync(SupervisorSettings settings, TempDirectory root)
    {
        if (settings.Owner is var (uid, gid))
        {
            foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(root.Path, "*", SearchOption.AllDirectories).Prepend(root.Path))
            {
                Worker.Interop.FileStatus.ChangeOwner(entry, uid, gid);
            }
        }

        IReadOnlyList<string> command = settings.Executable is { } executable ? [executable] : SandboxBinaries.SupervisorCommand;
        var launch = (settings.LaunchPrefix ?? []).Concat(command).ToList();
        var info = new ProcessStartInfo(launch[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        List<string> arguments =
        [
            .. launch.Skip(1), "serve",
            "--socket", root.File("s.sock"), "--state-dir", root.File("state"),
            "--input-root", root.File("in"), "--output-root", root.File("out"),
        ];
        if (settings.MaxConcurrent is { } max)
        {
            arguments.AddRange(["--max-concurrent", max.ToString(CultureInfo.InvariantCulture)]);
        }

        if (settings.EnableFaultInjection)
        {
            arguments.Add("--enable-fault-injection");
        }

        arguments.ForEach(info.ArgumentList.Add);
        info.Environment["Sandbox__WorkerStartTimeout"] = TestTime.Limit(new SupervisorOptions().WorkerStartTimeout).ToString();
        info.Environment["Sandbox__WarmWorkers"] = settings.WarmWorkers.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in settings.Environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("could not start the supervisor");
        }
        catch
        {
            root.Dispose();
            throw;
        }

        var supervisor = new SupervisorProcess(root, process);
        process.OutputDataReceived += (_, e) => supervisor.Record(e.Data);
        process.ErrorDataReceived += (_, e) => supervisor.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await supervisor.WaitUntilServingAsync();
            return supervisor;
        }
        catch
        {
            try
            {
                await supervisor.DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // The start failure below is the one worth reporting; a cleanup complaint would hide it.
            }

            throw;
        }
    }

    /// <summary>Copies <paramref name="source"/> into the input root (once per name) and returns its path there.</summary>
    public string AddInput(string source, string? name = null)
    {
        var path = Path.Combine(InputRoot, name ?? Path.GetFileName(source));
        if (!File.Exists(path))
        {
            File.Copy(source, path);
        }

        return path;
    }

    public string Output(string name) => Path.Combine(OutputRoot, name);

    /// <summary>A fresh directory under the output root, so a test can check it holds nothing but what it expects.</summary>
    public string OutputDirectory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(OutputRoot, name)).FullName;

    /// <summary>SIGKILL for the supervisor alone: its workers are not touched, they must notice by themselves.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        using var timeout = new CancellationTokenSource(StopTimeout);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGTERM, as a service manager stops it: waits for the supervisor to drain and exit; false if it did not within the timeout.</summary>
    public async Task<bool> TerminateAsync()
    {
        await ChildProcess.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops the supervisor (SIGTERM, then SIGKILL if it hangs), waits for its workers to be gone and
    /// deletes its directory. A worker that outlives its supervisor is killed and reported as a failure.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        string? problem = null;
        try
        {
            if (!_process.HasExited && !await TerminateAsync())
            {
                _process.Kill(entireProcessTree: true);
                problem = $"the supervisor did not exit within {StopTimeout.TotalSeconds} s of SIGTERM and was killed";
            }

            var leaked = await WorkerProcesses.WaitUntilGoneAsync(StateDirectory, WorkerExitTimeout);
            foreach (var (pid, _) in leaked)
            {
                try
                {
                    using var orphan = Process.GetProcessById(pid);
                    orphan.Kill();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }

            if (leaked.Count > 0)
            {
                problem = $"worker processes outlived the supervisor: {string.Join("; ", leaked.Select(w => $"{w.Pid} {w.CommandLine}"))}";
            }
        }
        finally
        {
            Channel.Dispose();
            _process.Dispose();
            if (!_rootHandedOver)
            {
                _root.Dispose();
            }
        }

        if (problem is not null)
        {
            throw new InvalidOperationException($"{problem}\nsupervisor log:\n{Log}");
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > LogLines && _log.TryDequeue(out _))
        {
        }
    }

    /// <summary>Asks grpc.health.v1 until it answers SERVING; the socket does not exist until Kestrel listens.</summary>
    private async Task WaitUntilServingAsync()
    {
        var end = DateTime.UtcNow + ReadyTimeout;
        var last = "no answer yet";
        while (DateTime.UtcNow < end)
        {
            if (_process.HasExited)
            {
                // Its last words (why it stopped) may still be in the pipes: this waits for them too.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"the supervisor exited with code {_process.ExitCode} before it was ready:\n{Log}");
            }

            try
            {
                var response = await Health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (response.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }

                last = response.Status.ToString();
            }
            catch (RpcException e)
            {
                last = $"{e.StatusCode}: {e.Status.Detail}";
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the supervisor was not SERVING within {ReadyTimeout.TotalSeconds} s (last: {last}):\n{Log}");
    }
}
