using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>
/// Puts each worker in its own cgroup with the limits and device rules of its profile. Chosen at
/// start-up by <see cref="CgroupProbe"/>: <c>v2</c> on pure cgroup v2 hosts (production), <c>v1</c>
/// on hybrid hosts like the build machines, <c>none</c> where no hierarchy is writable (with a loud warning).
/// </summary>
public interface ICgroupDriver
{
    /// <summary>As reported by GetStatus: <c>v2</c>, <c>v1</c> or <c>none</c>.</summary>
    string Name { get; }

    /// <summary>Makes the cgroup of one worker and writes its limits; the worker joins it before it executes.</summary>
    IWorkerCgroup Create(string workerId, SandboxProfile profile);

    /// <summary>
    /// Caps the memory of all this supervisor's workers together at <paramref name="bytes"/> (the
    /// memory budget), on the cgroup above theirs: if admission control and the governor ever fail
    /// to keep them under it, the kernel OOM-kills inside that subtree — a worker, never the
    /// supervisor or the rest of the host.
    /// </summary>
    void LimitAll(long bytes);

    /// <summary>Removes what an earlier run of this supervisor left behind (killing any process still in it).</summary>
    void RemoveStale();
}
