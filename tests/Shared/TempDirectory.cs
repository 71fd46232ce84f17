namespace Sandbox.Tests.Shared;

/// <summary>
/// A fresh directory (mode 0755) under the system temp dir, deleted with everything in it on dispose. The
/// <c>sandbox-tests-</c> prefix is what scripts/test's leak check looks for.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("sandbox-tests-").FullName;

        // Workers run as an unprivileged user (65534) and must reach the inputs and outputs inside.
        System.IO.File.SetUnixFileMode(
            Path,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public string Path { get; }

    /// <summary>A path inside this directory (the file need not exist).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A new, empty subdirectory.</summary>
    public string Subdirectory(string name) => Directory.CreateDirectory(File(name)).FullName;

    /// <summary>The names of everything in the directory, hidden files included (the worker's temp files are dot files).</summary>
    public IReadOnlyList<string> EntryNames(string? subdirectory = null) =>
        [.. Directory.EnumerateFileSystemEntries(subdirectory ?? Path).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        // Directory.Delete removes symlinks themselves, never what they point to.
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
