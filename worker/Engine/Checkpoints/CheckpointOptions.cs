namespace Sandbox.Worker.Engine;

/// <summary>
/// Makes a transcode checkpointed: the output is produced as durable chunks in
/// <see cref="Directory"/>, and a transcode started again with the same options continues after the
/// last durable chunk instead of starting over.
/// </summary>
public sealed record CheckpointOptions
{
    public static readonly TimeSpan DefaultChunkLength = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan MinChunkLength = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxChunkLength = TimeSpan.FromMinutes(10);

    /// <summary>Holds the manifest and the chunk files; created when missing.</summary>
    public required string Directory { get; init; }

    /// <summary>Names the session the checkpoints belong to; a directory of another session is refused.</summary>
    public required string Session { get; init; }

    /// <summary>Target chunk length: the most work a crash can cost, and the granularity of adjustments.</summary>
    public TimeSpan ChunkLength { get; init; } = DefaultChunkLength;

    /// <summary>Keep the chunks and the manifest after the output is assembled (they are removed by default).</summary>
    public bool KeepChunks { get; init; }
}
