using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Isolation.Namespaces.Interop;

namespace Sandbox.Supervisor.Isolation.Namespaces;

/// <summary>
/// How a worker started before its session (a warm worker) gets to see the session's files: its
/// sandbox binds this directory, a shared mount point on the host, so that mounts made under it
/// later appear inside the worker's namespace too. When the session is assigned, the input is
/// attached read-only at <c>input/NAME</c> and the session's staging directory read-write at
/// <c>output/</c>; the worker's request is rewritten to those paths, and the paths it reports are
/// mapped back. Nothing else of the host becomes visible.
/// </summary>
internal sealed class ExchangeDirectory : IDisposable
{
    private string? _staging;

    private ExchangeDirectory(string path) => Path = path;

    /// <summary>The directory, at the same path on the host and inside the worker's namespace.</summary>
    public string Path { get; }

    private string InputDirectory => System.IO.Path.Combine(Path, "input");

    private string OutputDirectory => System.IO.Path.Combine(Path, "output");

    /// <summary>Makes <paramref name="path"/> (a fresh directory) a shared mount point.</summary>
    /// <exception cref="IOException">It cannot be made or mounted (the supervisor is not root).</exception>
    public static ExchangeDirectory Create(string path)
    {
        Directory.CreateDirectory(path, PassThrough);
        var exchange = new ExchangeDirectory(path);
        try
        {
            Mounts.BindShared(path);
            return exchange;
        }
        catch
        {
            Directory.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Attaches the session's input (read-only) and its staging directory (read-write), and returns
    /// <paramref name="request"/> as the worker sees it: every path into the staging directory moves
    /// under <c>output/</c>, the input to <c>input/NAME</c>, and the policy allows exactly those.
    /// </summary>
    public TranscodeRequest Attach(TranscodeRequest request, string stagingDirectory)
    {
        Directory.CreateDirectory(InputDirectory, PassThrough);
        Directory.CreateDirectory(OutputDirectory, PassThrough);
        var input = System.IO.Path.Combine(InputDirectory, System.IO.Path.GetFileName(request.InputPath));
        File.WriteAllBytes(input, []);
        Mounts.Attach(request.InputPath, input, readOnly: true);
        Mounts.Attach(stagingDirectory, OutputDirectory, readOnly: false);
        _staging = stagingDirectory;

        var seen = request.Clone();
        seen.InputPath = input;
        seen.OutputPath = ToWorker(request.OutputPath);
        if (seen.Checkpoints is { } checkpoints)
        {
            checkpoints.Directory = ToWorker(checkpoints.Directory);
        }

        seen.Policy.InputRoots.Clear();
        seen.Policy.InputRoots.Add(InputDirectory);
        seen.Policy.OutputRoots.Clear();
        seen.Policy.OutputRoots.Add(OutputDirectory);
        return seen;
    }

    /// <summary>A path the worker reported (under <c>output/</c>) as it is on the host.</summary>
    public string ToHost(string workerPath) =>
        _staging is not null && IsUnder(workerPath, OutputDirectory) ? _staging + workerPath[OutputDirectory.Length..] : workerPath;

    /// <summary>Detaches every mount (the worker's view of the session's files goes with it) and removes the directory.</summary>
    public void Dispose() => Remove(Path);

    /// <summary>
    /// Unmounts whatever is mounted under <paramref name="root"/> (deepest first), then deletes it —
    /// only once nothing is mounted there any more, so a delete never reaches into a session's files.
    /// </summary>
    public static void Remove(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        // Mounts may be stacked on one point: each pass detaches the top ones.
        for (var pass = 0; pass < 4 && Mounts.Below(root) is { Count: > 0 } points; pass++)
        {
            foreach (var point in points)
            {
                Mounts.DetachTree(point);
            }
        }

        if (Mounts.Below(root).Count > 0)
        {
            throw new IOException($"{root} still has mounts below it; it is left in place");
        }

        Directory.Delete(root, recursive: true);
    }

    private string ToWorker(string hostPath) =>
        _staging is not null && IsUnder(hostPath, _staging) ? OutputDirectory + hostPath[_staging.Length..] : hostPath;

    private static bool IsUnder(string path, string directory) =>
        path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    private const UnixFileMode PassThrough =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
}
