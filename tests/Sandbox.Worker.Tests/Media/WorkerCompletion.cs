namespace Sandbox.Worker.Tests.Media;

/// <summary>The worker's <c>{"type":"completed"}</c> line (the fields the tests rely on).</summary>
public sealed record WorkerCompletion(string Output, long Frames, double OutputTime);
