namespace Sandbox.Worker.Tests.Media;

/// <summary>The worker's <c>{"type":"error"}</c> line.</summary>
public sealed record WorkerError(string Reason, string Message, IReadOnlyList<WorkerViolation> Violations);
