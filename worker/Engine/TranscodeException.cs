namespace Sandbox.Worker.Engine;

/// <summary>A transcode failed for a reason from the closed list in <see cref="ErrorReason"/>.</summary>
public sealed class TranscodeException : Exception
{
    public TranscodeException(ErrorReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Violations = [];
    }

    public TranscodeException(IReadOnlyList<FieldViolation> violations)
        : base("invalid spec: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")))
    {
        Reason = ErrorReason.INVALID_SPEC;
        Violations = violations;
    }

    public ErrorReason Reason { get; }

    public IReadOnlyList<FieldViolation> Violations { get; }

    public static TranscodeException Invalid(string field, string description) => new([new FieldViolation(field, description)]);
}
