namespace Sandbox.Worker.Tests.Media;

/// <summary>One entry of an error's <c>violations</c> array: which spec field is wrong and why.</summary>
public sealed record WorkerViolation(string Field, string Description);
