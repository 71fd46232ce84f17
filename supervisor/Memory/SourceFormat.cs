namespace Sandbox.Supervisor.Memory;

/// <summary>What the ladder cuts from: the session's video as its spec will encode it (height and frame rate before any adjustment).</summary>
public sealed record SourceFormat(int Width, int Height, double FramesPerSecond);
