using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Hosting;
using Sandbox.Supervisor.Isolation.Identity;

namespace Sandbox.Supervisor.Workers;

/// <summary>
/// How to start the worker executable: a native (Native AOT) executable directly, or
/// <c>dotnet sandbox-worker.dll</c> (the JIT build).
/// </summary>
internal sealed class WorkerCommand
{
    private const string Name = "sandbox-worker";

    private readonly WorkerUser _user;

    public WorkerCommand(IOptions<SupervisorOptions> options, WorkerUser user)
    {
        _user = user;
        Use(options.Value.WorkerPath.Length > 0 ? options.Value.WorkerPath : FindBesideSupervisor(AppContext.BaseDirectory));
    }

    public string FileName { get; private set; } = "";

    public IReadOnlyList<string> Arguments { get; private set; } = [];

    public string Path { get; private set; } = "";

    public bool Exists => File.Exists(Path);

    /// <summary>"native_aot" for an executable started directly, "jit" for a <c>.dll</c> run by dotnet.</summary>
    public string Build => Arguments.Count > 0 ? "jit" : "native_aot";

    /// <summary>
    /// The worker published next to the supervisor: the Native AOT executable when there is one
    /// (scripts/publish puts it there), else the JIT build's <c>sandbox-worker.dll</c>.
    /// </summary>
    /// <remarks>
    /// A JIT build also has a <c>sandbox-worker</c> (its apphost), but never without its
    /// <c>sandbox-worker.dll</c>; the supervisor's own publish keeps that dll only when it is JIT,
    /// so a native executable with no dll beside it is the AOT build.
    /// </remarks>
    public static string FindBesideSupervisor(string directory)
    {
        var native = System.IO.Path.Combine(directory, Name);
        var managed = System.IO.Path.Combine(directory, Name + ".dll");
        return File.Exists(native) && !File.Exists(managed) ? native : managed;
    }

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

    /// <summary>
    /// When the worker user cannot read the worker where it was built (a checkout under a 0700
    /// home or temporary directory), copies the worker's directory into <paramref name="staging"/>
    /// (world-readable, under the state directory) and runs that copy instead.
    /// </summary>
    /// <exception cref="StartupException">The worker user cannot read the .NET runtime a managed worker needs.</exception>
    public void StageForWorkerUser(string staging)
    {
        if (!Exists || _user.CanRead(Path))
        {
            CheckRuntime();
            return;
        }

        var source = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Copy(source, staging);
        Use(System.IO.Path.Combine(staging, System.IO.Path.GetFileName(Path)));
        CheckRuntime();
    }

    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName));

    private void Use(string path)
    {
        var managed = path.EndsWith(".dll", StringComparison.Ordinal);
        FileName = managed ? "dotnet" : path;
        Arguments = managed ? [path] : [];
        Path = path;
    }

    private void CheckRuntime()
    {
        if (Arguments.Count > 0 && FindOnPath(FileName) is { } host && !_user.CanRead(Worker.Interop.RealPath.Resolve(host) ?? host))
        {
            throw new StartupException(
                $"workers run as {_user}, which cannot read the .NET runtime at {host}: install .NET system-wide, use a Native AOT worker (Sandbox:WorkerPath), or set Sandbox:WorkerUser");
        }
    }

    /// <summary>Copies a directory tree, keeping execute bits and making everything readable by all.</summary>
    private static void Copy(string source, string target)
    {
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(target, readable | executable);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            var copy = System.IO.Path.Combine(target, System.IO.Path.GetFileName(file));
            File.Copy(file, copy, overwrite: true);
            File.SetUnixFileMode(copy, (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0 ? readable | executable : readable);
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            Copy(directory, System.IO.Path.Combine(target, System.IO.Path.GetFileName(directory)));
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => System.IO.Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
