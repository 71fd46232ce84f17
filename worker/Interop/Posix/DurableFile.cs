using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

/// <summary>
/// Writes that survive a crash of the process or the machine: data flushed with <c>fsync</c>, and
/// replacements made by renaming a flushed temporary file, then flushing the directory so the new
/// name itself is on disk.
/// </summary>
public static class DurableFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/>: readers see the old file or the new one, never a mix.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> contents)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Flushes a file someone else wrote (e.g. a muxer) to disk.</summary>
    public static void Flush(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Flushes a directory's entries, so files created or renamed in it stay after a crash.</summary>
    public static void FlushDirectory(string directory)
    {
        var fd = LibC.open(directory, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"open {directory}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (LibC.fsync(fd) != 0)
            {
                throw new IOException($"fsync {directory}: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            // A read-only descriptor has nothing left to write, so close cannot lose anything.
            _ = LibC.close(fd);
        }
    }
}
