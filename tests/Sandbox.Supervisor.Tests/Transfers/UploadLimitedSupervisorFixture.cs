using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Transfers;

/// <summary>A supervisor whose upload limit (1 MB, set like an operator would, by environment) is above the short clip and easy to exceed.</summary>
public sealed class UploadLimitedSupervisorFixture : SupervisorFixture
{
    public const long MaxUploadBytes = 1_000_000;

    protected override SupervisorSettings Settings { get; } =
        new(Environment: new Dictionary<string, string> { ["Sandbox__MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
