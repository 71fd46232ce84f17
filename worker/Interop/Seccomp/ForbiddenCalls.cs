using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop.Seccomp;

/// <summary>
/// Syscalls a worker must never make once locked down, made on purpose: the fault-injection service
/// uses them to prove the lockdown kills or refuses them. Harmless arguments throughout.
/// </summary>
internal static unsafe partial class ForbiddenCalls
{
    private const string Library = "libc";
    private const int PtraceTraceMe = 0;
    private const int CloneNewNet = 0x40000000;
    private const int AfUnix = 1;
    private const int AfInet = 2;
    private const int SockStream = 1;

    /// <summary>The calls <see cref="Attempt"/> knows, by the names the request uses.</summary>
    public static IReadOnlyList<string> Names { get; } = ["execve", "ptrace", "mount", "unshare", "bpf", "kexec_load", "socket_inet", "socket_unix"];

    /// <summary>Makes the call; returns <c>ok</c> or the errno name it failed with (when the filter lets it return at all).</summary>
    public static string Attempt(string name)
    {
        long result = name switch
        {
            "execve" => ExecuteShell(),
            "ptrace" => ptrace(PtraceTraceMe, 0, 0, 0),
            "mount" => mount("none", "/tmp", "tmpfs", 0, 0),
            "unshare" => unshare(CloneNewNet),
            "bpf" => LinuxSyscalls.syscall(LinuxSyscalls.Bpf, 0, 0, 0, 0),
            "kexec_load" => LinuxSyscalls.syscall(LinuxSyscalls.KexecLoad, 0, 0, 0, 0),
            "socket_inet" => OpenAndClose(AfInet),
            "socket_unix" => OpenAndClose(AfUnix),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"not one of {string.Join(", ", Names)}"),
        };
        return result < 0 ? LinuxSyscalls.ErrnoName(Marshal.GetLastPInvokeError()) : "ok";
    }

    /// <summary><c>execve("/bin/sh", {"sh", "-c", "exit 0"}, {})</c>: if it succeeds the worker is gone, replaced by a shell.</summary>
    private static long ExecuteShell()
    {
        fixed (byte* path = "/bin/sh\0"u8, sh = "sh\0"u8, flag = "-c\0"u8, script = "exit 0\0"u8)
        {
            var argv = stackalloc byte*[] { sh, flag, script, null };
            var envp = stackalloc byte*[] { null };
            return execve(path, argv, envp);
        }
    }

    private static long OpenAndClose(int family)
    {
        var fd = socket(family, SockStream, 0);
        if (fd >= 0)
        {
            new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true).Dispose();
        }

        return fd;
    }

    [LibraryImport(Library, SetLastError = true)]
    private static partial int execve(byte* path, byte** argv, byte** envp);

    [LibraryImport(Library, SetLastError = true)]
    private static partial long ptrace(int request, int pid, nint address, nint data);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string source, string target, string type, ulong flags, nint data);

    [LibraryImport(Library, SetLastError = true)]
    private static partial int unshare(int flags);

    [LibraryImport(Library, SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);
}
