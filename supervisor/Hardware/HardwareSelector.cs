using HardwarePreference = Sandbox.Api.V1.HardwarePreference;
using Sandbox.Worker.Engine;

namespace Sandbox.Supervisor.Hardware;

/// <summary>
/// Answers a session's hardware preference against the devices present and their free encoder
/// sessions. Pure: the inventory and leases are read by the caller.
/// </summary>
public static class HardwareSelector
{
    /// <summary>
    /// The encoder for <paramref name="codec"/> on a device of <paramref name="kind"/>, or null. NVENC takes
    /// system-memory frames, so the worker's engine feeds it as it feeds libx264. VAAPI's encoders need
    /// frames uploaded into GPU surfaces first (hwupload), which the engine does not do yet; FFmpeg 5.1's
    /// NVENC has no AV1 or VP9.
    /// </summary>
    public static string? EncoderFor(HardwareKind kind, VideoCodec codec) => (kind, codec) switch
    {
        (HardwareKind.Nvidia, VideoCodec.H264) => "h264_nvenc",
        (HardwareKind.Nvidia, VideoCodec.Hevc) => "hevc_nvenc",
        _ => null,
    };

    /// <param name="codec">The video codec the session encodes (its container's default resolved); null when it encodes no video (none, or copy).</param>
    /// <param name="profile">The session's sandbox profile; "" or "default" lets the device's GPU profile be used.</param>
    /// <param name="lookedFor">The device nodes the profiles name, for saying what was not found.</param>
    /// <param name="hasFreeSession">Whether a device has an encoder session left to lease.</param>
    /// <param name="encodersInBuild">Encoders this FFmpeg build has (the worker's capabilities).</param>
    public static HardwareChoice Choose(
        HardwarePreference preference,
        VideoCodec? codec,
        string profile,
        IReadOnlyList<HardwareDevice> devices,
        IReadOnlyList<string> lookedFor,
        Func<HardwareDevice, bool> hasFreeSession,
        Func<string, bool> encodersInBuild)
    {
        if (preference == HardwarePreference.HardwareOff || codec is null or VideoCodec.Copy)
        {
            return HardwareChoice.Off;
        }

        var required = preference == HardwarePreference.HardwareRequired;
        var anyProfile = profile.Length == 0 || profile == Isolation.Profiles.ProfileCatalog.DefaultProfile;
        var capable = devices
            .Where(d => anyProfile || d.Profile == profile)
            .Select(d => (Device: d, Encoder: EncoderFor(d.Kind, codec.Value)))
            .Where(c => c.Encoder is not null && encodersInBuild(c.Encoder))
            .ToList();
        if (capable.Count == 0)
        {
            var why = Missing(codec.Value, profile, anyProfile, devices, lookedFor);
            return required ? HardwareChoice.Refuse(why) : HardwareChoice.Software(why);
        }

        foreach (var (device, encoder) in capable)
        {
            if (hasFreeSession(device))
            {
                return HardwareChoice.Use(device, encoder!);
            }
        }

        var busy = $"every encoder session is in use ({string.Join(", ", capable.Select(c => $"{c.Device.Path}: {c.Device.Sessions}"))})";
        return required ? HardwareChoice.Wait(busy) : HardwareChoice.Software(busy);
    }

    private static string Missing(VideoCodec codec, string profile, bool anyProfile, IReadOnlyList<HardwareDevice> devices, IReadOnlyList<string> lookedFor)
    {
        var name = CodecNames.Name(codec);
        if (devices.Count == 0)
        {
            return lookedFor.Count == 0
                ? "no sandbox profile exposes a GPU device node"
                : $"no GPU device found ({string.Join(", ", lookedFor)} absent)";
        }

        if (!anyProfile && devices.All(d => d.Profile != profile))
        {
            return $"profile '{profile}' exposes none of the GPUs present ({string.Join(", ", devices.Select(d => $"{d.Path} in {d.Profile}"))})";
        }

        return $"no hardware encoder for {name} on {string.Join(", ", devices.Select(d => $"{d.Path} ({d.Kind})").Distinct())}: NVENC encodes h264 and hevc; VAAPI encoding is not supported by the worker yet";
    }
}
