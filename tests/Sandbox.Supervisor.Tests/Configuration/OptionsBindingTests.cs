using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Configuration;

/// <summary>
/// Settings reach the real supervisor's options through its own (source-generated) configuration
/// binder, nested sections included: a binder that skipped them would silently run on defaults.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class OptionsBindingTests
{
    [Fact]
    public async Task Nested_settings_from_the_environment_are_bound()
    {
        using var devices = new TempDirectory();
        File.WriteAllText(devices.File("nvidia0"), "");
        File.WriteAllText(devices.File("nvidiactl"), "");
        var environment = new Dictionary<string, string>
        {
            ["Sandbox__Memory__Budget"] = "1234567890",
            ["Sandbox__Hardware__DeviceRoot"] = devices.Path,
            ["Sandbox__Hardware__NvencSessionsPerDevice"] = "3",
            ["Sandbox__MaxQueuedSessions"] = "7",
        };
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(MaxConcurrent: 1, Environment: environment));

        var status = await supervisor.Operator.GetStatusAsync(new GetStatusRequest());

        Assert.Equal(1234567890, status.MemoryBudgetBytes);
        Assert.Equal(3, Assert.Single(status.Hardware).Sessions);
        Assert.Equal(1, status.MaxConcurrentSessions);
    }
}
