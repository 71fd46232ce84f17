using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sandbox.Supervisor.Isolation.Devices.Interop;

/// <summary>Attaches device filters to a cgroup v2 directory (BPF_CGROUP_DEVICE) and counts those attached there.</summary>
internal static class CgroupDevicePrograms
{
    public static void Attach(string cgroupDirectory, BpfProgramHandle program)
    {
        using var directory = OpenDirectory(cgroupDirectory);
        var attributes = new Bpf.AttachAttributes
        {
            TargetFd = (uint)directory.DangerousGetHandle(),
            AttachBpfFd = (uint)program.DangerousGetHandle(),
            AttachType = Bpf.CgroupDeviceAttachType,
            AttachFlags = Bpf.AllowMulti,
        };
        if (Bpf.Call(Bpf.ProgramAttach, ref attributes) < 0)
        {
            throw DeviceFilterException.FromErrno($"BPF_PROG_ATTACH of the device filter to {cgroupDirectory} failed", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Programs attached to this very directory (not inherited from its ancestors).</summary>
    public static int Count(string cgroupDirectory)
    {
        using var directory = OpenDirectory(cgroupDirectory);
        var attributes = new Bpf.QueryAttributes
        {
            TargetFd = (uint)directory.DangerousGetHandle(),
            AttachType = Bpf.CgroupDeviceAttachType,
        };
        return Bpf.Call(Bpf.ProgramQuery, ref attributes) < 0
            ? throw DeviceFilterException.FromErrno($"BPF_PROG_QUERY of the device filters of {cgroupDirectory} failed", Marshal.GetLastPInvokeError())
            : (int)attributes.ProgramCount;
    }

    private static SafeFileHandle OpenDirectory(string cgroupDirectory)
    {
        var directory = Bpf.OpenDirectory(cgroupDirectory);
        return directory.IsInvalid
            ? throw DeviceFilterException.FromErrno($"cannot open cgroup directory {cgroupDirectory}", Marshal.GetLastPInvokeError())
            : directory;
    }
}
