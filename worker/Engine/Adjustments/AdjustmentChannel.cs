namespace Sandbox.Worker.Engine;

/// <summary>
/// How a running checkpointed transcode is adjusted from outside (the worker's <c>Adjust</c> call):
/// a request is checked at once against the session's codec and answered, and the transcode takes
/// the accumulated adjustment each time it starts a chunk, so it applies from the next boundary.
/// </summary>
public sealed class AdjustmentChannel
{
    private readonly Lock _gate = new();
    private VideoAdjustment _current = new();
    private VideoSettings? _video;
    private bool _started;
    private bool _checkpointed;
    private int _nextChunk;

    /// <summary>Checks and records an adjustment; <paramref name="reset"/> first drops the earlier ones (back to the session's settings).</summary>
    public AdjustmentOutcome Request(VideoAdjustment adjustment, bool reset = false)
    {
        lock (_gate)
        {
            if (!_started)
            {
                return AdjustmentOutcome.Refused("the transcode has not started yet");
            }

            if (!_checkpointed)
            {
                return AdjustmentOutcome.Refused("this transcode is not checkpointed: adjustments take effect at chunk boundaries");
            }

            if (_video is null)
            {
                return AdjustmentOutcome.Refused("the output has no video to adjust");
            }

            var combined = reset ? adjustment : _current.Then(adjustment);
            if (AdjustmentRules.Refusal(_video, combined) is { } refusal)
            {
                return AdjustmentOutcome.Refused(refusal);
            }

            _current = combined;
            return new AdjustmentOutcome(true, $"{combined.Describe()} from chunk {_nextChunk} on", _nextChunk, combined.Describe());
        }
    }

    /// <summary>Called by the transcode as it begins, with the adjustment it resumes under.</summary>
    internal void Start(VideoSettings? video, bool checkpointed, VideoAdjustment? initial)
    {
        lock (_gate)
        {
            _video = video;
            _checkpointed = checkpointed;
            _current = initial ?? new VideoAdjustment();
            _started = true;
        }
    }

    /// <summary>The adjustment chunk <paramref name="chunk"/> is encoded under; later requests apply from the chunk after it.</summary>
    internal VideoAdjustment ForChunk(int chunk)
    {
        lock (_gate)
        {
            _nextChunk = Math.Max(_nextChunk, chunk + 1);
            return _current;
        }
    }
}

/// <summary>The answer to an adjustment request: accepted from a chunk on (with what is now in force), or refused with the reason.</summary>
public sealed record AdjustmentOutcome(bool Accepted, string Detail, int? FromChunk, string? InForce = null)
{
    public static AdjustmentOutcome Refused(string why) => new(false, why, null);
}
