namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>How a test wants its supervisor started: extra command-line options and environment (<c>Sandbox__Name</c> settings).</summary>
public sealed record SupervisorSettings(int? MaxConcurrent = null, IReadOnlyDictionary<string, string>? Environment = null)
{
    public static SupervisorSettings Default { get; } = new();
}
