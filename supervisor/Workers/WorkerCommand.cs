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

    /// <summary>The directories a sandboxed worker needs to see to run: its own, and for a managed worker the .NET runtime's.</summary>
    public IReadOnlyList<string> ProgramDirectories
    {
        get
        {
            var directories = new List<string> { System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))! };
            if (Arguments.Count > 0 && FindOnPath(FileName) is { } host)
            {
                directories.Add(System.IO.Path.GetDirectoryName(Worker.Interop.RealPath.Resolve(host) ?? host)!);
            }

            return directories;
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => System.IO.Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName));
}
