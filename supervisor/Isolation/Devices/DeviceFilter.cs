using Sandbox.Supervisor.Isolation.Devices.Interop;
using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Isolation.Devices;

/// <summary>
/// The device allowlist of a cgroup v2 worker: v2 has no devices controller, so the allowlist is a
/// BPF_PROG_TYPE_CGROUP_DEVICE program attached to the worker's cgroup directory. The kernel asks it
/// on every open and mknod of a device node by a process in that cgroup or below; a request it does
/// not allow fails with EPERM.
/// </summary>
public static class DeviceFilter
{
    /// <summary>
    /// Allows the processes of <paramref name="cgroupDirectory"/> exactly <paramref name="devices"/>;
    /// call it once, on the fresh cgroup, before the worker joins. The attachment outlives this call
    /// (the program fd is closed here) and goes away with the cgroup when it is removed.
    /// </summary>
    /// <remarks>
    /// Attached with BPF_F_ALLOW_MULTI, as runc does: every program attached to the cgroup and its
    /// ancestors must allow a request, so a second filter (from a second call, or one a descendant
    /// or an outer manager such as systemd attaches) can only narrow the allowlist, never widen it.
    /// A replace-style attach (no flags) would let a second call silently swap the allowlist instead.
    /// </remarks>
    /// <exception cref="ArgumentException">A rule is malformed (nothing is attached).</exception>
    /// <exception cref="DeviceFilterException">The kernel refused to load or attach the program.</exception>
    public static void Attach(string cgroupDirectory, IReadOnlyList<DeviceRule> devices)
    {
        var program = BpfInstruction.Encode(DeviceFilterProgram.Build(devices));
        using var loaded = BpfProgramHandle.LoadDeviceFilter(program);
        CgroupDevicePrograms.Attach(cgroupDirectory, loaded);
    }

    /// <summary>How many device filters are attached to <paramref name="cgroupDirectory"/> itself.</summary>
    public static int CountAttached(string cgroupDirectory) => CgroupDevicePrograms.Count(cgroupDirectory);
}
