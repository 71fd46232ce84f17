namespace Sandbox.Worker.Interop;

/// <summary>Canonical absolute paths with every symlink resolved (POSIX <c>realpath</c>).</summary>
public static class RealPath
{
    /// <summary>The canonical path, or null when the path (or a component of it) does not exist.</summary>
    public static string? Resolve(string path)
    {
        var resolved = LibC.realpath(path, nint.Zero);
        if (resolved == nint.Zero)
        {
            return null;
        }

        try
        {
            return System.Runtime.InteropServices.Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            LibC.free(resolved);
        }
    }
}
