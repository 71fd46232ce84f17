namespace Sandbox.Supervisor.Memory;

/// <summary>Admission control (<c>Sandbox:Memory:Admission</c>): whether sessions are weighed against the budget before they start.</summary>
public sealed record AdmissionOptions
{
    /// <summary>Off, every session starts at its spec's settings under its profile's limits, and only the governor guards memory.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a session that does not fit yet waits (QUEUED) before it is weighed again.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
