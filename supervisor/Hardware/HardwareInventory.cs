using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Hardware;

/// <summary>
/// The GPUs this node can give a worker, found once at start: every NVIDIA (<c>/dev/nvidiaN</c>) or DRM
/// render (<c>/dev/dri/renderDN</c>) node a sandbox profile exposes and the host has. The profile is
/// what puts exactly that device in a worker's <c>/dev</c> and cgroup allowlist, so a device no profile
/// names is never used, and each device goes with the first profile (by name) that names it.
/// </summary>
public sealed partial class HardwareInventory
{
    public HardwareInventory(ProfileCatalog profiles, IOptions<SupervisorOptions> options)
    {
        var settings = options.Value.Hardware;
        var devices = new List<HardwareDevice>();
        var lookedFor = new List<string>();
        foreach (var name in profiles.Names)
        {
            foreach (var path in (profiles.Profiles[name].Devices ?? []).Select(d => d.Path ?? "").Distinct(StringComparer.Ordinal))
            {
                var kind = NvidiaNode().IsMatch(path) ? HardwareKind.Nvidia : RenderNode().IsMatch(path) ? HardwareKind.Vaapi : (HardwareKind?)null;
                if (kind is null || lookedFor.Contains(path))
                {
                    continue;
                }

                lookedFor.Add(path);
                if (Exists(settings.DeviceRoot, path) && (kind != HardwareKind.Nvidia || Exists(settings.DeviceRoot, "/dev/nvidiactl")))
                {
                    var sessions = kind == HardwareKind.Nvidia ? settings.NvencSessionsPerDevice : settings.VaapiSessionsPerDevice;
                    devices.Add(new HardwareDevice(kind.Value, path, name, sessions));
                }
            }
        }

        Devices = devices;
        LookedFor = lookedFor;
    }

    public IReadOnlyList<HardwareDevice> Devices { get; }

    /// <summary>Every GPU node the profiles name, present or not.</summary>
    public IReadOnlyList<string> LookedFor { get; }

    /// <summary><paramref name="path"/> (under /dev) looked up under <paramref name="root"/> instead of /dev.</summary>
    private static bool Exists(string root, string path) => File.Exists(Path.Combine(root, Path.GetRelativePath("/dev", path)));

    [GeneratedRegex(@"^/dev/nvidia[0-9]+$")]
    private static partial Regex NvidiaNode();

    [GeneratedRegex(@"^/dev/dri/renderD[0-9]+$")]
    private static partial Regex RenderNode();
}
