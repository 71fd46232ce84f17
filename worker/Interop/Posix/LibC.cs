using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

internal static unsafe partial class LibC
{
    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint realpath(string path, nint resolved);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int stat(string path, byte* buffer);

    /// <summary>prctl(2) is variadic in C; every option used here takes integer arguments, which the x86-64 ABI passes the same way.</summary>
    [LibraryImport("libc")]
    public static partial int prctl(int option, ulong argument2, ulong argument3, ulong argument4, ulong argument5);

    [LibraryImport("libc")]
    public static partial int getppid();

    [LibraryImport("libc")]
    public static partial void free(nint pointer);
}
