using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Memory;

/// <summary>
/// One session's downgrade ladder (seed §4.4): frame-rate cut → resolution scale → cheaper encoder →
/// eviction. Under pressure it steps down one rung at a time, each after the last one had
/// <see cref="LadderOptions.SettleTime"/> to take effect; a rung that would cross the client's floor
/// (minimum frame rate, minimum height) or change nothing is skipped. After
/// <see cref="LadderOptions.RecoverAfter"/> of calm it steps back up one rung, and the calm must
/// last that long again for the next one: hysteresis, so a session near the line does not flap.
/// </summary>
/// <param name="initial">Where a resumed session stands (an evicted one resumes on its last rung before eviction).</param>
/// <param name="codec">The session's video codec: it decides the encoder rung's preset.</param>
/// <param name="ceiling">
/// The highest rung it may step back up to: the one admission control started the session on,
/// since its worker's limits and the budget were weighed for that rung, not for the ones above.
/// </param>
public sealed class DowngradeLadder(
    LadderOptions options, SourceFormat source, DowngradeFloors? floors, DateTimeOffset now, Rung initial = Rung.Full, VideoCodec codec = VideoCodec.H264, Rung ceiling = Rung.Full)
{
    private DateTimeOffset _lastMove = now - options.SettleTime;
    private DateTimeOffset? _calmSince;

    public Rung Current { get; private set; } = initial;

    /// <summary>Takes one observation of the session's memory and says whether to move.</summary>
    /// <param name="pressure">Smoothed MPI of the session's worker.</param>
    /// <param name="pressed">Whether something besides the MPI demands a step (the dual-source trigger, the supervisor's budget), with why; null when nothing does.</param>
    public LadderDecision Observe(DateTimeOffset now, double pressure, string? pressed)
    {
        if (Current == Rung.Evicted)
        {
            return LadderDecision.Stay(Current);
        }

        var why = pressed ?? (pressure >= options.DowngradeAt ? $"memory pressure index {pressure:0.00} ≥ {options.DowngradeAt:0.00}" : null);
        if (why is not null)
        {
            _calmSince = null;
            if (now - _lastMove < options.SettleTime)
            {
                return LadderDecision.Stay(Current);
            }

            return Move(now, Next(Current, +1), $"{why}; the last step was {(now - _lastMove).TotalSeconds:0} s ago");
        }

        if (pressure >= options.RecoverBelow || Current <= ceiling)
        {
            _calmSince = null;
            return LadderDecision.Stay(Current);
        }

        _calmSince ??= now;
        return now - _calmSince.Value >= options.RecoverAfter
            ? Move(now, (Rung)Math.Max((int)ceiling, (int)Next(Current, -1)), $"memory pressure index {pressure:0.00} < {options.RecoverBelow:0.00} for {options.RecoverAfter.TotalSeconds:0} s")
            : LadderDecision.Stay(Current);
    }

    /// <summary>The adjustment a rung stands for, from the spec's settings: every rung above it included; null for <see cref="Rung.Full"/> and <see cref="Rung.Evicted"/>.</summary>
    public Adjustment? AdjustmentFor(Rung rung)
    {
        if (rung is Rung.Full or Rung.Evicted)
        {
            return null;
        }

        var adjustment = new Adjustment();
        if (rung >= Rung.FrameRate && FrameRateCut() is { } fps)
        {
            adjustment.MaxFps = fps;
        }

        if (rung >= Rung.Resolution && HeightCut() is { } height)
        {
            adjustment.MaxHeight = height;
        }

        if (rung >= Rung.Encoder)
        {
            adjustment.Preset = codec == VideoCodec.Vp9 ? options.CheapVp9Preset : options.CheapPreset;
            adjustment.Threads = 1;
            adjustment.Lookahead = 0;
        }

        return adjustment;
    }

    private LadderDecision Move(DateTimeOffset now, Rung to, string reason)
    {
        var from = Current;
        if (to == from)
        {
            return LadderDecision.Stay(from);
        }

        Current = to;
        _lastMove = now;
        _calmSince = to < from ? now : null;
        return new LadderDecision(from, to, AdjustmentFor(to), reason);
    }

    /// <summary>The next rung in <paramref name="direction"/> that changes something (eviction always does; full always is).</summary>
    private Rung Next(Rung from, int direction)
    {
        var rung = from + direction;
        while (rung is > Rung.Full and < Rung.Evicted && !Changes(rung))
        {
            rung += direction;
        }

        return rung;
    }

    private bool Changes(Rung rung) => rung switch
    {
        Rung.FrameRate => FrameRateCut() is not null,
        Rung.Resolution => HeightCut() is not null,
        _ => true,
    };

    /// <summary>The frame-rate rung's cap, clamped to the floor; null when it would not lower the rate.</summary>
    private Rational? FrameRateCut()
    {
        if (source.FramesPerSecond <= 0)
        {
            return null;
        }

        var floor = floors?.MinFps is { Denominator: > 0 } f ? (double)f.Numerator / f.Denominator : 0;
        var target = Math.Max(floor, source.FramesPerSecond * options.FrameRateFactor);
        if (target >= source.FramesPerSecond)
        {
            return null;
        }

        // To the millihertz, as the worker takes a rational cap.
        return new Rational { Numerator = (int)Math.Ceiling(target * 1000), Denominator = 1000 };
    }

    /// <summary>The resolution rung's height (even), clamped to the floor; null when it would not lower the height.</summary>
    private int? HeightCut()
    {
        var target = Math.Max(floors?.MinHeight ?? 0, (int)(source.Height * options.HeightFactor));
        target += target % 2;
        return source.Height > 0 && target < source.Height ? target : null;
    }
}
