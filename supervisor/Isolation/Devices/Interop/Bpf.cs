using System.Runtime.InteropServices;

namespace Sandbox.Supervisor.Isolation.Devices.Interop;

/// <summary>
/// The <c>bpf(2)</c> system call (glibc has no wrapper) and the parts of <c>union bpf_attr</c> a
/// cgroup device filter needs. The kernel zero-fills whatever follows the size we pass, so each
/// command's struct stops at its last field we use.
/// </summary>
internal static unsafe partial class Bpf
{
    private const long SyscallNumber = 321; // __NR_bpf on x86-64

    public const int ProgramLoad = 5;   // BPF_PROG_LOAD
    public const int ProgramAttach = 8; // BPF_PROG_ATTACH
    public const int ProgramQuery = 16; // BPF_PROG_QUERY

    public const uint CgroupDeviceProgramType = 15; // BPF_PROG_TYPE_CGROUP_DEVICE
    public const uint CgroupDeviceAttachType = 6;   // BPF_CGROUP_DEVICE
    public const uint AllowMulti = 2;               // BPF_F_ALLOW_MULTI

    private const int OpenReadOnlyDirectory = 0x10000 | 0x80000; // O_RDONLY | O_DIRECTORY | O_CLOEXEC

    /// <summary>
    /// <c>long syscall(long number, ...)</c>. Declaring it with fixed arguments is safe: glibc's
    /// x86-64 syscall() is assembly that moves the integer registers into place and reads no va_list.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long command, void* attributes, long size);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>Runs one bpf command; the result, or -1 with errno in <see cref="Marshal.GetLastPInvokeError"/>.</summary>
    public static long Call<TAttributes>(int command, ref TAttributes attributes)
        where TAttributes : unmanaged
    {
        fixed (TAttributes* pointer = &attributes)
        {
            return Syscall(SyscallNumber, command, pointer, sizeof(TAttributes));
        }
    }

    /// <summary>
    /// A cgroup directory as the fd bpf() takes as its target (File.OpenHandle refuses directories).
    /// Returns an invalid handle on failure, with errno in <see cref="Marshal.GetLastPInvokeError"/>.
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenDirectory(string path) =>
        new(Open(path, OpenReadOnlyDirectory), ownsHandle: true);

    /// <summary>The BPF_PROG_LOAD part of <c>union bpf_attr</c>, up to <c>expected_attach_type</c> (72 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LoadAttributes
    {
        public uint ProgramType;
        public uint InstructionCount;
        public ulong Instructions;
        public ulong License;
        public uint LogLevel;
        public uint LogSize;
        public ulong LogBuffer;
        public uint KernelVersion;
        public uint ProgramFlags;
        public fixed byte ProgramName[16];
        public uint ProgramInterfaceIndex;
        public uint ExpectedAttachType;
    }

    /// <summary>The BPF_PROG_ATTACH part of <c>union bpf_attr</c>, up to <c>replace_bpf_fd</c> (20 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct AttachAttributes
    {
        public uint TargetFd;
        public uint AttachBpfFd;
        public uint AttachType;
        public uint AttachFlags;
        public uint ReplaceBpfFd;
    }

    /// <summary>The BPF_PROG_QUERY part of <c>union bpf_attr</c>, up to <c>prog_cnt</c> (28 bytes, padded to 32).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct QueryAttributes
    {
        public uint TargetFd;
        public uint AttachType;
        public uint QueryFlags;
        public uint AttachFlags;
        public ulong ProgramIds;
        public uint ProgramCount;
    }
}
