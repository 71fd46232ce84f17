using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Resolves input and output paths and keeps them under the policy's roots. Each path is checked
/// twice: lexically (so <c>..</c> cannot climb out, and nothing outside a root is even looked at) and
/// after resolving symlinks (so a link inside a root cannot point outside it).
/// </summary>
public static class PathGuard
{
    /// <summary>Returns the canonical path of an existing regular input file.</summary>
    public static string ResolveInput(string path, InputPolicy policy)
    {
        var full = Path.GetFullPath(path);
        EnsureUnder(full, policy.InputRoots, "input");
        var real = RealPath.Resolve(full);
        if (real is null)
        {
            throw new TranscodeException(ErrorReason.INPUT_NOT_FOUND, $"input '{path}' does not exist");
        }

        EnsureUnder(real, policy.InputRoots, "input");
        return FileTypes.Of(real) switch
        {
            FileKind.RegularFile => real,
            FileKind.Directory => throw TranscodeException.Invalid("input", $"'{path}' is a directory, not a file"),
            _ => throw TranscodeException.Invalid("input", $"'{path}' is not a regular file (a device, FIFO or socket)"),
        };
    }

    /// <summary>Returns the canonical path the output will have; its directory must exist.</summary>
    public static string ResolveOutput(string path, InputPolicy policy)
    {
        var full = Path.GetFullPath(path);
        EnsureUnder(full, policy.OutputRoots, "output");
        var directory = RealPath.Resolve(Path.GetDirectoryName(full) ?? "/");
        if (directory is null || FileTypes.Of(directory) != FileKind.Directory)
        {
            throw TranscodeException.Invalid("output", $"the directory of '{path}' does not exist");
        }

        var real = Path.Combine(directory, Path.GetFileName(full));
        EnsureUnder(real, policy.OutputRoots, "output");
        if (FileTypes.Of(real) is not (FileKind.Missing or FileKind.RegularFile))
        {
            throw TranscodeException.Invalid("output", $"'{path}' exists and is not a regular file");
        }

        return real;
    }

    /// <summary>Returns the canonical path of the checkpoint directory (created when missing); like the output, it must lie under an output root.</summary>
    public static string ResolveCheckpoints(string path, InputPolicy policy)
    {
        const string field = "checkpoints.directory";
        var full = Path.GetFullPath(path);
        EnsureUnder(full, policy.OutputRoots, field);
        var parent = RealPath.Resolve(Path.GetDirectoryName(full) ?? "/");
        if (parent is null || FileTypes.Of(parent) != FileKind.Directory)
        {
            throw TranscodeException.Invalid(field, $"the directory above '{path}' does not exist");
        }

        var real = Path.Combine(parent, Path.GetFileName(full));
        EnsureUnder(real, policy.OutputRoots, field);
        if (FileTypes.Of(real) == FileKind.Missing)
        {
            Directory.CreateDirectory(real);
        }

        if (RealPath.Resolve(real) != real || FileTypes.Of(real) != FileKind.Directory)
        {
            throw TranscodeException.Invalid(field, $"'{path}' is not a directory (or is a link to one)");
        }

        return real;
    }

    private static void EnsureUnder(string path, IReadOnlyList<string> roots, string field)
    {
        if (roots.Count == 0)
        {
            return;
        }

        foreach (var root in roots)
        {
            var canonicalRoot = RealPath.Resolve(root) ?? Path.GetFullPath(root);
            var prefix = canonicalRoot.EndsWith('/') ? canonicalRoot : canonicalRoot + "/";
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new TranscodeException(ErrorReason.PATH_NOT_ALLOWED, $"{field} path '{path}' is outside the allowed {field} roots");
    }
}
