namespace Sandbox.Worker.Engine;

/// <summary>One transcode: where from, where to, and what the output must be.</summary>
public sealed record TranscodeSpec
{
    public required string InputPath { get; init; }

    public required string OutputPath { get; init; }

    public required OutputContainer Container { get; init; }

    /// <summary>The video to produce, or null to drop video.</summary>
    public VideoSettings? Video { get; init; } = new();

    /// <summary>The audio to produce, or null to drop audio.</summary>
    public AudioSettings? Audio { get; init; } = new();

    /// <summary>Wall-clock limit for the whole transcode, or null for none.</summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>Produce the output as durable chunks that a later run can continue from, or null for a single pass.</summary>
    public CheckpointOptions? Checkpoints { get; init; }

    /// <summary>For a checkpointed transcode: the adjustment the chunks still to be made are encoded under (e.g. handed to a resumed worker).</summary>
    public VideoAdjustment? Adjustment { get; init; }
}
