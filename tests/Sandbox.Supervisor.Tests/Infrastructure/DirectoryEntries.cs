namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>Lists a directory the way the tests judge leftovers: every entry, hidden ones included.</summary>
public static class DirectoryEntries
{
    /// <summary>
    /// The names of everything in <paramref name="directory"/>, sorted. Hidden files count: the
    /// worker's half-written outputs are dot files, and a leftover one is exactly what tests look for.
    /// </summary>
    public static IReadOnlyList<string> Of(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
}
