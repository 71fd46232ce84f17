namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// How a test wants its supervisor started: extra command-line options and environment (<c>Sandbox__Name</c> settings);
/// <paramref name="EnableFaultInjection"/> lets its workers misbehave on request (<c>--enable-fault-injection</c>).
/// </summary>
public sealed record SupervisorSettings(int? MaxConcurrent = null, IReadOnlyDictionary<string, string>? Environment = null, bool EnableFaultInjection = false)
{
    public static SupervisorSettings Default { get; } = new();
}
