using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Api;

/// <summary>
/// Builds the errors clients see: a gRPC status whose details carry a <c>google.rpc.ErrorInfo</c>
/// with a reason from the closed list, <c>google.rpc.BadRequest</c> field violations for specs, and
/// <c>google.rpc.RetryInfo</c> when the client should come back after a while.
/// </summary>
internal static class RpcErrors
{
    public static RpcException Create(
        ErrorReason reason, string message, IEnumerable<(string Field, string Description)>? violations = null, TimeSpan? retryAfter = null)
    {
        var status = new Google.Rpc.Status { Code = (int)CodeOf(reason), Message = message };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = ErrorReasonNames.Name(reason), Domain = ErrorReasonNames.Domain }));
        var fieldViolations = violations?.ToList() ?? [];
        if (fieldViolations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(fieldViolations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }

        if (retryAfter is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }

        return status.ToRpcException();
    }

    public static RpcException InvalidSpec(string field, string description) =>
        Create(ErrorReason.InvalidSpec, $"invalid spec: {field}: {description}", [(field, description)]);

    /// <summary>The gRPC status code that goes with each reason.</summary>
    public static StatusCode CodeOf(ErrorReason reason) => reason switch
    {
        ErrorReason.InvalidSpec or ErrorReason.InputUnsupported or ErrorReason.InputCorrupt or ErrorReason.UploadIncomplete => StatusCode.InvalidArgument,
        ErrorReason.InputNotFound or ErrorReason.SessionNotFound or ErrorReason.UploadNotFound or ErrorReason.WorkerNotFound => StatusCode.NotFound,
        ErrorReason.PathNotAllowed => StatusCode.PermissionDenied,
        ErrorReason.InputLimitExceeded or ErrorReason.UploadTooLarge or ErrorReason.CapacityExhausted => StatusCode.ResourceExhausted,
        ErrorReason.EncoderUnavailable or ErrorReason.SessionFinished or ErrorReason.OutputNotAvailable or ErrorReason.FfmpegVersionMismatch
            or ErrorReason.AdjustmentRefused or ErrorReason.PoisonInput or ErrorReason.HardwareUnavailable => StatusCode.FailedPrecondition,
        ErrorReason.SequenceOutOfRange => StatusCode.OutOfRange,
        ErrorReason.ChecksumMismatch => StatusCode.DataLoss,
        ErrorReason.DeadlineExceeded => StatusCode.DeadlineExceeded,
        ErrorReason.Cancelled => StatusCode.Cancelled,
        ErrorReason.ShuttingDown => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
