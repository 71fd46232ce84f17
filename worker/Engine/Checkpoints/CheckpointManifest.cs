namespace Sandbox.Worker.Engine;

/// <summary>
/// The durable record of a chunked transcode (<c>manifest.json</c> in its checkpoint directory):
/// which input and settings it belongs to, how its timeline is cut, and every chunk made durable
/// so far. A fresh worker given the directory continues after the last chunk listed here.
/// </summary>
public sealed record CheckpointManifest
{
    public const string FormatName = "sandbox-checkpoints";
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/>: a JSON file that is not ours is refused, not guessed at.</summary>
    public required string Format { get; init; }

    public required int Version { get; init; }

    /// <summary>The session the checkpoints belong to; another session's directory is refused.</summary>
    public required string Session { get; init; }

    public required InputIdentity Input { get; init; }

    /// <summary>The final container (<c>mp4</c>, <c>mkv</c>…) the chunks are assembled into.</summary>
    public required string Container { get; init; }

    /// <summary>Fingerprint of the encoding settings the session started with (see <see cref="SettingsFingerprint"/>).</summary>
    public required string Settings { get; init; }

    /// <summary>The target chunk length the timeline was cut with.</summary>
    public required TimeSpan ChunkLength { get; init; }

    public VideoTimeline? Video { get; init; }

    public AudioTimeline? Audio { get; init; }

    public IReadOnlyList<ChunkRecord> Chunks { get; init; } = [];

    /// <summary>The input has been read to its end: every chunk is listed and only assembly remains.</summary>
    public bool Complete { get; init; }

    /// <summary>Media time the durable chunks cover.</summary>
    public TimeSpan DurableTime => Chunks.Count == 0 ? TimeSpan.Zero : Chunks[^1].End;
}

/// <summary>What identifies the input a manifest was made from: if any of it changes, the chunks no longer match it.</summary>
/// <param name="Size">Length in bytes.</param>
/// <param name="ModifiedUtc">Last modification time.</param>
/// <param name="SampleSha256">SHA-256 of the size and of the first and last MiB (hashing a whole multi-GB input on every start would cost more than it protects).</param>
public sealed record InputIdentity(long Size, DateTime ModifiedUtc, string SampleSha256);

/// <summary>The video timeline: frames counted in the encoder's time base (one tick per frame), cut every <paramref name="FramesPerChunk"/> frames.</summary>
public sealed record VideoTimeline(string TimeBase, long FramesPerChunk);

/// <summary>
/// The audio timeline: the encoder takes frames of <paramref name="FrameSize"/> samples starting at
/// <paramref name="Origin"/> and emits packets <paramref name="Padding"/> samples earlier (its priming).
/// Chunks own whole packets, so every resumed encoder lands on the same packet grid.
/// </summary>
public sealed record AudioTimeline(int SampleRate, int FrameSize, int Padding, long Origin);

/// <summary>One durable chunk: a file of the chunk container holding the chunk's packets with timestamps relative to <see cref="StreamSpan.FirstDts"/>.</summary>
public sealed record ChunkRecord
{
    public required int Index { get; init; }

    /// <summary>File name inside the checkpoint directory.</summary>
    public required string File { get; init; }

    public required long Bytes { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>Fingerprint of the settings this chunk was encoded with.</summary>
    public required string Settings { get; init; }

    /// <summary>Output time where the chunk starts (its first video frame, or its first audio packet without video).</summary>
    public required TimeSpan Start { get; init; }

    public required TimeSpan End { get; init; }

    public StreamSpan? Video { get; init; }

    public StreamSpan? Audio { get; init; }

    /// <summary>The adjustment the chunk's video was encoded under (see <see cref="VideoAdjustment.Describe"/>), or null.</summary>
    public string? Adjustment { get; init; }
}

/// <summary>
/// One stream's part of a chunk, in the encoder's time base. The chunk file stores the stream's
/// timestamps minus <paramref name="FirstDts"/> (so the container never shifts them); adding it back
/// restores the output timeline. <paramref name="Units"/> counts frames (video) or samples (audio).
/// </summary>
public sealed record StreamSpan(long FirstPts, long FirstDts, long EndPts, long Packets, long Units);
