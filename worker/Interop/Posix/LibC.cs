using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

internal static unsafe partial class LibC
{
    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint realpath(string path, nint resolved);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int stat(string path, byte* buffer);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int chown(string path, int owner, int group);

    [LibraryImport("libc")]
    public static partial void free(nint pointer);

    public const int O_RDONLY = 0;
    public const int O_DIRECTORY = 0x10000;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport("libc")]
    public static partial int close(int fd);

    [LibraryImport("libc")]
    public static partial void abort();

    [LibraryImport("libc")]
    public static partial nint malloc(nuint size);

    [LibraryImport("libc")]
    public static partial int shutdown(int fd, int how);

    [LibraryImport("libc", EntryPoint = "_exit")]
    public static partial void exit_immediately(int status);
}
