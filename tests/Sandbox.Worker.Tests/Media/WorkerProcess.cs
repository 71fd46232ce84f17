namespace Sandbox.Worker.Tests.Media;

/// <summary>
/// Runs <c>sandbox-worker</c> as a child process, the way the supervisor will: a native crash or a
/// hang inside FFmpeg then fails one test instead of taking the test run down with it.
/// </summary>
public static class WorkerProcess
{
    /// <summary>Far above what a 2-second clip needs on 2 cores; reaching it means the worker hung.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>The worker lands next to the tests because the test project references it.</summary>
    private static string WorkerAssembly => Path.Combine(AppContext.BaseDirectory, "sandbox-worker.dll");

    /// <summary><c>dotnet test</c> names the host it runs under; plain <c>dotnet</c> from PATH otherwise.</summary>
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Runs <c>transcode INPUT OUTPUT [options] --json</c>.</summary>
    public static Task<WorkerResult> TranscodeAsync(string input, string output, params string[] options) =>
        RunAsync(["transcode", input, output, .. options, "--json"]);

    public static async Task<WorkerResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        string[] commandLine = [WorkerAssembly, .. arguments];
        var process = await ChildProcess.RunAsync(DotnetHost, commandLine, Timeout, cancellationToken: cancellationToken);
        return WorkerResult.Parse($"sandbox-worker {string.Join(' ', arguments)}", process);
    }
}
