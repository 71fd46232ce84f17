using Google.Protobuf.Reflection;

namespace Sandbox.Api.V1;

/// <summary>
/// The wire names of <see cref="ErrorReason"/> (<c>INVALID_SPEC</c>…), as carried in
/// <c>google.rpc.ErrorInfo.reason</c>, taken from the proto descriptor rather than re-spelled.
/// </summary>
public static class ErrorReasonNames
{
    public const string Domain = "sandbox.v1";

    private static readonly EnumDescriptor Descriptor = CommonReflection.Descriptor.FindTypeByName<EnumDescriptor>("ErrorReason");

    public static string Name(ErrorReason reason) => Descriptor.FindValueByNumber((int)reason)?.Name ?? reason.ToString();

    /// <summary>The reason with this wire name, or null when the closed list has no such name.</summary>
    public static ErrorReason? Parse(string name) =>
        Descriptor.FindValueByName(name) is { } value ? (ErrorReason)value.Number : null;
}
