using Sandbox.Api.Worker.V1;
using Sandbox.Worker.Rpc;

namespace Sandbox.Supervisor.Hardware;

/// <summary>
/// Applies the hardware selection to a session: at Submit (REQUIRED with no capable device is refused
/// there), and before each worker (which device, encoder and GPU profile, under a leased encoder session).
/// </summary>
public sealed class HardwarePlanner(HardwareInventory inventory, EncoderSessions sessions, Func<string, bool> encodersInBuild)
{
    public HardwareInventory Inventory => inventory;

    public EncoderSessions Sessions => sessions;

    /// <summary>The encoders the worker can use on <paramref name="device"/> with this FFmpeg build.</summary>
    public IEnumerable<string> EncodersOn(HardwareDevice device) =>
        Enum.GetValues<Worker.Engine.VideoCodec>()
            .Select(codec => HardwareSelector.EncoderFor(device.Kind, codec))
            .OfType<string>()
            .Where(encodersInBuild);

    /// <summary>The choice for <paramref name="request"/> (its spec's preference and profile), leases aside.</summary>
    public HardwareChoice Choose(global::Sandbox.Api.V1.SessionSpec spec, TranscodeRequest request, bool softwareOnly = false) =>
        softwareOnly
            ? HardwareChoice.Software("its hardware encoder failed earlier in the session")
            : HardwareSelector.Choose(spec.Hardware, EncodedCodec(request), spec.Profile, inventory.Devices, inventory.LookedFor, sessions.HasFree, encodersInBuild);

    /// <summary>The video codec the worker will encode (the container's default resolved), or null when it encodes no video.</summary>
    private static Worker.Engine.VideoCodec? EncodedCodec(TranscodeRequest request)
    {
        try
        {
            return TranscodeRequestMapper.ToEngine(request).Spec.Video?.Codec;
        }
        catch (Worker.Engine.TranscodeException)
        {
            return null; // an invalid spec fails in the worker with its own reason
        }
    }
}
