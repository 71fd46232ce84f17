namespace Sandbox.Worker.Tests.Media;

/// <summary>The worker's <c>{"type":"completed"}</c> line (the fields the tests rely on).</summary>
public sealed record WorkerCompletion(string Output, long Frames, double OutputTime)
{
    /// <summary>Durable chunks, for a checkpointed transcode.</summary>
    public int? Chunks { get; init; }

    /// <summary>Output time (seconds) this run continued from, when it resumed earlier checkpoints.</summary>
    public double? ResumedFrom { get; init; }

    /// <summary>What damaged checkpoints were found and redone.</summary>
    public string? Repaired { get; init; }
}
