namespace Sandbox.Supervisor.Hardware;

/// <summary>What a session encodes with: a hardware encoder on a leased device, or software and why.</summary>
public sealed record HardwareChoice
{
    private HardwareChoice()
    {
    }

    /// <summary>The device and encoder, when hardware was chosen.</summary>
    public HardwareDevice? Device { get; private init; }

    public string? Encoder { get; private init; }

    /// <summary>Why not hardware (for the session's event, or the refusal); null when hardware was chosen or not asked for.</summary>
    public string? Reason { get; private init; }

    /// <summary>REQUIRED and impossible now: the session cannot run (Refuse) or must wait for a free encoder session (Wait).</summary>
    public HardwareVerdict Verdict { get; private init; }

    public static HardwareChoice Off { get; } = new() { Verdict = HardwareVerdict.Software };

    public static HardwareChoice Use(HardwareDevice device, string encoder) => new() { Device = device, Encoder = encoder, Verdict = HardwareVerdict.Hardware };

    public static HardwareChoice Software(string reason) => new() { Reason = reason, Verdict = HardwareVerdict.Software };

    public static HardwareChoice Wait(string reason) => new() { Reason = reason, Verdict = HardwareVerdict.Wait };

    public static HardwareChoice Refuse(string reason) => new() { Reason = reason, Verdict = HardwareVerdict.Refuse };
}
