using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Api;

/// <summary>
/// What generic tools see: server reflection as grpcurl uses it (list services, fetch the
/// descriptors of one) and the standard health service that load balancers and probes ask.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class ReflectionAndHealthTests(SupervisorFixture fixture) : IClassFixture<SupervisorFixture>
{
    private SupervisorProcess Supervisor => fixture.Supervisor;

    [Fact]
    public async Task Reflection_lists_every_service_and_describes_sandbox_v1_Sessions()
    {
        var client = new ServerReflection.ServerReflectionClient(Supervisor.Channel);
        using var call = client.ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(30));

        // grpcurl's `list`: one ListServices request on the bidirectional stream.
        var services = (await AskAsync(call, new ServerReflectionRequest { ListServices = "*" })).ListServicesResponse.Service.Select(s => s.Name).ToList();
        foreach (var expected in new[] { "sandbox.v1.Sessions", "sandbox.v1.Sandbox", "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection" })
        {
            Assert.Contains(expected, services);
        }

        // grpcurl's `describe sandbox.v1.Sessions`: the file defining the symbol (and the files it imports).
        var answer = await AskAsync(call, new ServerReflectionRequest { FileContainingSymbol = "sandbox.v1.Sessions" });
        var files = answer.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        var sessions = Assert.Single(files.Where(f => f.Package == "sandbox.v1").SelectMany(f => f.Service), s => s.Name == "Sessions");
        Assert.Equal(
            ["Adjust", "Cancel", "Download", "Get", "List", "Submit", "Upload", "Watch"],
            sessions.Method.Select(m => m.Name).Order(StringComparer.Ordinal));

        // An unknown symbol is an error response on the stream, not a broken stream.
        var unknown = await AskAsync(call, new ServerReflectionRequest { FileContainingSymbol = "sandbox.v1.NoSuchService" });
        Assert.Equal((int)StatusCode.NotFound, unknown.ErrorResponse?.ErrorCode);

        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Health_of_the_whole_server_is_serving()
    {
        var response = await Supervisor.Health.CheckAsync(new HealthCheckRequest { Service = "" }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    private static async Task<ServerReflectionResponse> AskAsync(AsyncDuplexStreamingCall<ServerReflectionRequest, ServerReflectionResponse> call, ServerReflectionRequest request)
    {
        await call.RequestStream.WriteAsync(request);
        Assert.True(await call.ResponseStream.MoveNext(), "the reflection stream ended without an answer");
        return call.ResponseStream.Current;
    }
}
