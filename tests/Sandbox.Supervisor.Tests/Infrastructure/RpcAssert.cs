using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>Checks a failed call the way a client reads it: status code, google.rpc.ErrorInfo, google.rpc.BadRequest.</summary>
public static class RpcAssert
{
    public const string Domain = "sandbox.v1";

    /// <summary>
    /// <paramref name="call"/> fails with <paramref name="code"/> and an ErrorInfo of <paramref name="reason"/>
    /// (domain sandbox.v1) and, when <paramref name="field"/> is given, a BadRequest violation of that field.
    /// </summary>
    public static async Task<RpcException> FailsAsync(StatusCode code, ErrorReason reason, Func<Task> call, string? field = null)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Matches(error, code, reason, field);
        return error;
    }

    public static void Matches(RpcException error, StatusCode code, ErrorReason reason, string? field = null)
    {
        var status = error.GetRpcStatus();
        Assert.True(status is not null, $"no google.rpc.Status in the trailers of {error.StatusCode}: {error.Status.Detail}");
        var info = status.GetDetail<ErrorInfo>();
        Assert.True(info is not null, $"no ErrorInfo in {error.StatusCode}: {status.Message}");
        Assert.Equal((code, WireName(reason), Domain), (error.StatusCode, info.Reason, info.Domain));
        if (field is not null)
        {
            var violations = status.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
            Assert.True(violations.Contains(field), $"expected a violation of '{field}', got [{string.Join(", ", violations)}] ({status.Message})");
        }
    }

    /// <summary>The reason's name as the proto spells it (INVALID_SPEC), read from the descriptor, not from supervisor code.</summary>
    public static string WireName(ErrorReason reason) =>
        CommonReflection.Descriptor.FindTypeByName<EnumDescriptor>("ErrorReason").FindValueByNumber((int)reason).Name;
}
