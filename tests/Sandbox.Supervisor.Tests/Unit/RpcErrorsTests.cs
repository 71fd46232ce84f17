using Google.Rpc;
using Grpc.Core;
using Sandbox.Supervisor.Api;
using ErrorReason = Sandbox.Api.V1.ErrorReason;

namespace Sandbox.Supervisor.Tests.Unit;

public sealed class RpcErrorsTests
{
    [Fact]
    public void An_error_carries_its_reason_and_field_violations()
    {
        var error = RpcErrors.Create(ErrorReason.InvalidSpec, "bad", [("video.codec", "nope")]);

        var status = error.GetRpcStatus()!;
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("INVALID_SPEC", status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal("sandbox.v1", status.GetDetail<ErrorInfo>()!.Domain);
        Assert.Equal("video.codec", Assert.Single(status.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Theory]
    [InlineData(ErrorReason.PathNotAllowed, StatusCode.PermissionDenied)]
    [InlineData(ErrorReason.SessionNotFound, StatusCode.NotFound)]
    [InlineData(ErrorReason.CapacityExhausted, StatusCode.ResourceExhausted)]
    [InlineData(ErrorReason.SequenceOutOfRange, StatusCode.OutOfRange)]
    [InlineData(ErrorReason.SessionFinished, StatusCode.FailedPrecondition)]
    [InlineData(ErrorReason.ChecksumMismatch, StatusCode.DataLoss)]
    public void Each_reason_has_its_status_code(ErrorReason reason, StatusCode code) => Assert.Equal(code, RpcErrors.CodeOf(reason));
}
