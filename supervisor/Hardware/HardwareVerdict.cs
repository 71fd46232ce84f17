namespace Sandbox.Supervisor.Hardware;

/// <summary>How a session's hardware preference was answered.</summary>
public enum HardwareVerdict
{
    /// <summary>Software encoding: hardware OFF, not possible (PREFERRED), or not needed (no video encode).</summary>
    Software,

    /// <summary>A hardware encoder on a leased device.</summary>
    Hardware,

    /// <summary>REQUIRED, and every capable device's encoder sessions are leased: wait in the queue.</summary>
    Wait,

    /// <summary>REQUIRED, and no device here can encode it: the session cannot run on this node.</summary>
    Refuse,
}
