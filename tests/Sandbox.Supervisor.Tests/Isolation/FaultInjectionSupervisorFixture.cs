using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>A supervisor started with <c>--enable-fault-injection</c>: its workers serve FaultInjection.Misbehave.</summary>
public sealed class FaultInjectionSupervisorFixture : SupervisorFixture
{
    protected override SupervisorSettings Settings { get; } = new(EnableFaultInjection: true);
}
