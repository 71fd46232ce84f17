using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>Without --enable-fault-injection the Chaos service does not exist.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class ChaosDisabledTests(SupervisorFixture fixture) : IClassFixture<SupervisorFixture>
{
    [Fact]
    public async Task Chaos_is_unimplemented_unless_enabled()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => new Chaos.ChaosClient(fixture.Supervisor.Channel).InjectFaultAsync(new InjectFaultRequest { Random = true, Kind = FaultKind.FaultSegfault }).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }
}
