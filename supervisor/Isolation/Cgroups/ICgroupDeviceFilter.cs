using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>
/// The device allowlist on cgroup v2, which has no devices controller: a
/// <c>BPF_PROG_TYPE_CGROUP_DEVICE</c> program attached to a worker's cgroup directory. The v2 driver
/// calls it after writing the limits and before the worker joins, so no instruction of the worker
/// runs unfiltered.
/// </summary>
public interface ICgroupDeviceFilter
{
    /// <summary>Allows exactly <paramref name="devices"/> in <paramref name="cgroupDirectory"/>; throws when it cannot (the worker then does not start).</summary>
    void Attach(string cgroupDirectory, IReadOnlyList<DeviceRule> devices);
}
