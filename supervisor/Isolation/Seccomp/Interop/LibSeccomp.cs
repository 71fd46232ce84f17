using System.Runtime.InteropServices;

namespace Sandbox.Supervisor.Isolation.Seccomp.Interop;

/// <summary>libseccomp 2.5 (Debian 12), used to compile profiles into BPF (bubblewrap and the worker load them) and to name syscalls.</summary>
internal static unsafe partial class LibSeccomp
{
    private const string Library = "libseccomp.so.2";

    public const uint ActKillThread = 0x00000000;
    public const uint ActKillProcess = 0x80000000;
    public const uint ActTrap = 0x00030000;
    public const uint ActErrnoBase = 0x00050000;
    public const uint ActLog = 0x7ffc0000;
    public const uint ActAllow = 0x7fff0000;

    /// <summary>What seccomp_syscall_resolve_name answers for a name this architecture does not have.</summary>
    public const int UnknownSyscall = -1;

    [LibraryImport(Library)]
    public static partial nint seccomp_init(uint defaultAction);

    /// <summary><c>SCMP_FLTATR_CTL_OPTIMIZE</c>: 2 lays the rules out as a binary tree, so a syscall costs O(log n) checks, not O(n).</summary>
    public const int AttributeOptimize = 8;

    public const uint OptimizeBinaryTree = 2;

    [LibraryImport(Library)]
    public static partial void seccomp_release(nint context);

    [LibraryImport(Library)]
    public static partial int seccomp_attr_set(nint context, int attribute, uint value);

    [LibraryImport(Library)]
    public static partial int seccomp_rule_add_array(nint context, uint action, int syscall, uint argumentCount, ArgumentComparison* arguments);

    [LibraryImport(Library)]
    public static partial int seccomp_export_bpf(nint context, int fd);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int seccomp_syscall_resolve_name(string name);

    /// <summary>The syscall's name on <paramref name="architecture"/> (an AUDIT_ARCH_* value), malloc'ed: release it with <see cref="free"/>; or null.</summary>
    [LibraryImport(Library)]
    public static partial nint seccomp_syscall_resolve_num_arch(uint architecture, int syscall);

    [LibraryImport("libc")]
    public static partial void free(nint pointer);

    /// <summary>The name of syscall <paramref name="number"/> on <paramref name="architecture"/>, or null when libseccomp does not know it.</summary>
    public static string? SyscallName(uint architecture, int number)
    {
        var name = seccomp_syscall_resolve_num_arch(architecture, number);
        if (name == nint.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(name);
        }
        finally
        {
            free(name);
        }
    }

    /// <summary><c>struct scmp_arg_cmp</c>: 24 bytes {uint arg; int op; ulong a; ulong b}.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ArgumentComparison
    {
        public uint Argument;
        public int Operator;
        public ulong DatumA;
        public ulong DatumB;
    }
}
