using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;

namespace Sandbox.Supervisor.Workers;

/// <summary>How to start the worker executable: <c>dotnet sandbox-worker.dll</c>, or a native executable directly.</summary>
internal sealed class WorkerCommand
{
    public WorkerCommand(IOptions<SupervisorOptions> options)
    {
        var path = options.Value.WorkerPath.Length > 0
            ? options.Value.WorkerPath
            : System.IO.Path.Combine(AppContext.BaseDirectory, "sandbox-worker.dll");
        var managed = path.EndsWith(".dll", StringComparison.Ordinal);
        FileName = managed ? "dotnet" : path;
        Arguments = managed ? [path] : [];
        Path = path;
    }

    public string FileName { get; }

    public IReadOnlyList<string> Arguments { get; }

    public string Path { get; }

    public bool Exists => File.Exists(Path);

    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName));
}
