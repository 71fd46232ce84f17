using System.Runtime.InteropServices;
using System.Text;

namespace Sandbox.Supervisor.Isolation.Devices.Interop;

/// <summary>
/// A loaded BPF program (an fd). Closing it does not detach the program: an attachment holds its
/// own reference, released when the program is detached or its cgroup is removed.
/// </summary>
internal sealed class BpfProgramHandle() : SafeHandle(-1, ownsHandle: true)
{
    /// <summary>The kernel only checks it to gate GPL-only helpers; a device filter calls none.</summary>
    private static ReadOnlySpan<byte> License => "GPL\0"u8;

    /// <summary>What bpftool and /proc/PID/fdinfo show (at most 15 characters).</summary>
    private static ReadOnlySpan<byte> Name => "sandbox_devices"u8;

    /// <summary>Plenty for the verifier's account of a program of a few hundred instructions.</summary>
    private const int LogSize = 1 << 20;

    public override bool IsInvalid => handle < 0;

    /// <summary>Loads a BPF_PROG_TYPE_CGROUP_DEVICE program; on refusal the exception carries the verifier's log.</summary>
    public static unsafe BpfProgramHandle LoadDeviceFilter(ReadOnlySpan<byte> instructions)
    {
        fixed (byte* code = instructions)
        fixed (byte* license = License)
        {
            var attributes = new Bpf.LoadAttributes
            {
                ProgramType = Bpf.CgroupDeviceProgramType,
                InstructionCount = (uint)(instructions.Length / BpfInstruction.Size),
                Instructions = (ulong)code,
                License = (ulong)license,
            };
            Name.CopyTo(new Span<byte>(attributes.ProgramName, 16));

            var fd = Bpf.Call(Bpf.ProgramLoad, ref attributes);
            if (fd >= 0)
            {
                var program = new BpfProgramHandle();
                program.SetHandle((nint)fd);
                return program;
            }

            var errno = Marshal.GetLastPInvokeError();

            // Loaded again with a log only on failure: the log costs verifier time, and a buffer that is too small fails the load.
            var log = new byte[LogSize];
            fixed (byte* buffer = log)
            {
                attributes.LogLevel = 1;
                attributes.LogSize = LogSize;
                attributes.LogBuffer = (ulong)buffer;
                var retried = Bpf.Call(Bpf.ProgramLoad, ref attributes);
                if (retried >= 0)
                {
                    Bpf.Close((int)retried);
                }
            }

            var text = Encoding.UTF8.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0))).TrimEnd();
            throw DeviceFilterException.FromErrno(
                $"BPF_PROG_LOAD of a cgroup device filter ({attributes.InstructionCount} instructions) failed",
                errno,
                text.Length > 0 ? $"verifier log:\n{text}" : "");
        }
    }

    protected override bool ReleaseHandle() => Bpf.Close((int)handle) == 0;
}
