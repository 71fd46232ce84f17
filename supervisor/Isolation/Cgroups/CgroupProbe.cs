using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;

namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>Chooses the cgroup driver this host supports, once, at start-up: v2, else v1, else none.</summary>
internal static class CgroupProbe
{
    public const string Root = "/sys/fs/cgroup";

    public static ICgroupDriver Choose(IOptions<SupervisorOptions> options, ILogger logger)
    {
        var wanted = options.Value.CgroupDriver;
        var instance = Instance(options.Value.StateDirectory);
        if (wanted is "auto" or "v2" or "delegated")
        {
            // A service manager that delegates a subtree expects it used, even by root (systemd's Delegate=yes).
            var v2 = wanted != "delegated" && CgroupV2Driver.IsAvailable(Root) ? CgroupV2Driver.AtRoot(Root, instance) : CgroupV2Driver.InDelegatedSubtree(Root, instance, rootIsDelegated: wanted == "delegated");
            if (v2 is not null)
            {
                if (!v2.AttachesDevicePrograms)
                {
                    logger.LogWarning(
                        "cgroup v2 in the delegated subtree {Directory}: without root the device allowlist cannot be attached as a BPF program; the workers' /dev view alone enforces it",
                        Path.GetDirectoryName(v2.InstanceDirectory));
                }

                return v2;
            }
        }

        if (wanted == "delegated")
        {
            throw new InvalidOperationException(
                $"Sandbox:CgroupDriver is delegated, but this process's own cgroup is not a writable cgroup v2 subtree offering {string.Join(", ", CgroupV2Driver.Controllers)} (systemd: Delegate=yes; v2 only)");
        }

        if (wanted == "v2")
        {
            throw new InvalidOperationException(
                $"Sandbox:CgroupDriver is v2, but neither {Root} nor this process's own cgroup is a writable cgroup v2 hierarchy offering {string.Join(", ", CgroupV2Driver.Controllers)}");
        }

        if (wanted is "auto" or "v1" && CgroupV1Driver.IsAvailable(Root))
        {
            return new CgroupV1Driver(Root, instance);
        }

        if (wanted == "v1")
        {
            throw new InvalidOperationException($"Sandbox:CgroupDriver is v1, but the v1 memory, pids, cpu and devices hierarchies under {Root} are not all mounted and writable");
        }

        logger.LogWarning(
            "no writable cgroup hierarchy (driver 'none'): workers run WITHOUT memory, pids, cpu or device limits. Run as root on a host with cgroups, or delegate a subtree.");
        return new NoCgroupDriver();
    }

    /// <summary>A stable name per state directory, so a restarted supervisor finds (and removes) its own leftovers and nobody else's.</summary>
    public static string Instance(string stateDirectory) =>
        "s" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(stateDirectory))))[..12];
}
