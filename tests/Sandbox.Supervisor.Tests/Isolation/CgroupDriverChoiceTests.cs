using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>An operator who asks for a cgroup driver the host lacks gets a supervisor that refuses to start, saying why — never one that quietly runs workers without limits.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class CgroupDriverChoiceTests
{
    [CgroupFact]
    public async Task Asking_for_the_driver_this_host_lacks_stops_the_supervisor_at_start()
    {
        var missing = HostCgroups.Driver == "v2" ? "v1" : "v2";

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SupervisorProcess.StartAsync(new SupervisorSettings(Environment: new Dictionary<string, string> { ["Sandbox__CgroupDriver"] = missing })));

        Assert.Contains($"Sandbox:CgroupDriver is {missing}, but", refusal.Message, StringComparison.Ordinal);
    }
}
