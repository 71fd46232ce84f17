using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Memory;

/// <summary>What admission control says about a session: start it (on which rung), let it wait for memory, or refuse it.</summary>
public sealed record AdmissionDecision(AdmissionVerdict Verdict, Rung Rung, Adjustment? Adjustment, long Estimate, string Reason)
{
    public static AdmissionDecision Unweighed { get; } = new(AdmissionVerdict.Admit, Rung.Full, null, 0, "");
}

public enum AdmissionVerdict
{
    Admit,
    Wait,
    Refuse,
}
