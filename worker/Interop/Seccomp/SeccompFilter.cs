using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop.Seccomp;

/// <summary>
/// Installs a classic BPF seccomp program on every thread of this process:
/// <c>seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &amp;prog)</c> after
/// <c>PR_SET_NO_NEW_PRIVS</c>. TSYNC is essential in .NET: the runtime's existing threads (thread
/// pool, GC, Kestrel) would otherwise stay unfiltered. Filters only stack, so this never loosens one
/// already installed (the baseline).
/// </summary>
public static unsafe class SeccompFilter
{
    /// <summary><c>sizeof(struct sock_filter)</c>.</summary>
    public const int InstructionSize = 8;

    /// <summary><c>BPF_MAXINSNS</c>: the kernel refuses longer programs.</summary>
    public const int MaxInstructions = 4096;

    private const ulong SetModeFilter = 1;
    private const ulong FlagTsync = 1;

    /// <summary>Throws <see cref="SeccompInstallException"/> (saying why) unless every thread now runs under <paramref name="program"/>.</summary>
    public static void Install(ReadOnlySpan<byte> program)
    {
        if (program.Length == 0 || program.Length % InstructionSize != 0 || program.Length / InstructionSize > MaxInstructions)
        {
            throw new SeccompInstallException(
                $"the filter is {program.Length} bytes; a BPF program is 1–{MaxInstructions} instructions of {InstructionSize} bytes");
        }

        if (LinuxSyscalls.prctl(LinuxSyscalls.PrSetNoNewPrivs, 1, 0, 0, 0) != 0)
        {
            throw new SeccompInstallException($"prctl(PR_SET_NO_NEW_PRIVS) failed: {LinuxSyscalls.ErrnoName(Marshal.GetLastPInvokeError())}");
        }

        fixed (byte* instructions = program)
        {
            var prog = new SockFprog { Length = (ushort)(program.Length / InstructionSize), Filter = instructions };
            var result = LinuxSyscalls.syscall(LinuxSyscalls.Seccomp, SetModeFilter, FlagTsync, &prog);
            if (result < 0)
            {
                throw new SeccompInstallException($"seccomp(SECCOMP_SET_MODE_FILTER, TSYNC) failed: {LinuxSyscalls.ErrnoName(Marshal.GetLastPInvokeError())}");
            }

            // With TSYNC a positive answer is a thread that could not be synchronised (it runs under
            // another filter tree); the filter was then installed on no thread.
            if (result > 0)
            {
                throw new SeccompInstallException($"seccomp TSYNC failed: thread {result} could not be synchronised");
            }
        }
    }

    /// <summary><c>struct sock_fprog</c>: an instruction count and a pointer to the instructions.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SockFprog
    {
        public ushort Length;
        public byte* Filter;
    }
}
