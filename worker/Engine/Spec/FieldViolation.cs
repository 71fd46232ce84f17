namespace Sandbox.Worker.Engine;

/// <summary>One invalid field of a spec (mirrors <c>google.rpc.BadRequest.FieldViolation</c>).</summary>
/// <param name="Field">The field's path in snake_case, e.g. <c>video.codec</c>.</param>
/// <param name="Description">What is wrong and what would be accepted.</param>
public sealed record FieldViolation(string Field, string Description);
