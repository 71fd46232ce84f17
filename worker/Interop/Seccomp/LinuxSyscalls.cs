using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop.Seccomp;

/// <summary>
/// The raw <c>syscall(2)</c> and <c>prctl(2)</c> entry points of glibc, for calls glibc has no wrapper
/// for (<c>seccomp</c>, <c>bpf</c>, <c>kexec_load</c>), and their numbers on the architectures the
/// worker is built for.
/// </summary>
internal static unsafe partial class LinuxSyscalls
{
    private const string Library = "libc";

    public const int PrSetNoNewPrivs = 38;

    /// <summary>Declared with fixed arguments: glibc's <c>syscall</c> reads them from registers either way.</summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial long syscall(long number, ulong a, ulong b, void* c);

    [LibraryImport(Library, SetLastError = true)]
    public static partial long syscall(long number, ulong a, ulong b, ulong c, ulong d);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int prctl(int option, ulong a, ulong b, ulong c, ulong d);

    [LibraryImport(Library)]
    public static partial nint strerrorname_np(int errno);

    public static long Seccomp => Number(x64: 317, arm64: 277);

    public static long Bpf => Number(x64: 321, arm64: 280);

    public static long KexecLoad => Number(x64: 246, arm64: 104);

    /// <summary>The errno's symbolic name (<c>EPERM</c>), as the tests and logs spell it.</summary>
    public static string ErrnoName(int errno) => Marshal.PtrToStringUTF8(strerrorname_np(errno)) ?? $"errno {errno}";

    private static long Number(long x64, long arm64) => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => x64,
        Architecture.Arm64 => arm64,
        var other => throw new PlatformNotSupportedException($"no syscall numbers for {other}"),
    };
}
