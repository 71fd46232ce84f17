using Sandbox.Api.V1;
using Sandbox.Supervisor.Memory;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>The downgrade ladder's decisions over time (seed §4.4), with explicit timestamps.</summary>
public sealed class DowngradeLadderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly SourceFormat Hd = new(1280, 720, 30);

    private static DowngradeLadder Ladder(DowngradeFloors? floors = null) => new(new LadderOptions(), Hd, floors, Start);

    private static DateTimeOffset At(double seconds) => Start.AddSeconds(seconds);

    [Fact]
    public void Sustained_pressure_steps_down_one_rung_per_settle_time_each_rung_keeping_the_ones_before()
    {
        var ladder = Ladder();
        var first = ladder.Observe(At(0), 0.55, null);
        Assert.Equal((Rung.Full, Rung.FrameRate), (first.From, first.To));
        Assert.Equal(new Rational { Numerator = 15000, Denominator = 1000 }, first.Adjustment!.MaxFps);
        Assert.False(first.Adjustment.HasMaxHeight);
        Assert.Contains("0.55", first.Reason);

        Assert.False(ladder.Observe(At(9), 0.6, null).Moves);

        var second = ladder.Observe(At(10), 0.6, null);
        Assert.Equal(Rung.Resolution, second.To);
        Assert.Equal((15000, 360), (second.Adjustment!.MaxFps.Numerator, second.Adjustment.MaxHeight));

        var third = ladder.Observe(At(20), 0.9, null);
        Assert.Equal(Rung.Encoder, third.To);
        Assert.Equal(("ultrafast", 1, 0, 360), (third.Adjustment!.Preset, third.Adjustment.Threads, third.Adjustment.Lookahead, third.Adjustment.MaxHeight));

        var last = ladder.Observe(At(30), 0.9, null);
        Assert.Equal((Rung.Evicted, null), (last.To, last.Adjustment));
        Assert.False(ladder.Observe(At(200), 0.0, null).Moves);
    }

    [Fact]
    public void A_rung_that_would_cross_a_floor_is_clamped_to_it_or_skipped()
    {
        // The client wants 30 fps (no cut possible) and at least 480 lines.
        var ladder = Ladder(new DowngradeFloors { MinFps = new Rational { Numerator = 30, Denominator = 1 }, MinHeight = 480 });
        var first = ladder.Observe(At(0), 0.9, null);
        Assert.Equal(Rung.Resolution, first.To);
        Assert.Equal(480, first.Adjustment!.MaxHeight);
        Assert.Null(first.Adjustment.MaxFps);

        // With 720 lines as the floor, resolution changes nothing either: straight to the encoder rung.
        var strict = Ladder(new DowngradeFloors { MinFps = new Rational { Numerator = 30, Denominator = 1 }, MinHeight = 720 });
        Assert.Equal(Rung.Encoder, strict.Observe(At(0), 0.9, null).To);

        // A floor between the source and the cut clamps the cut.
        var clamped = Ladder(new DowngradeFloors { MinFps = new Rational { Numerator = 24, Denominator = 1 } });
        Assert.Equal(24000, clamped.Observe(At(0), 0.9, null).Adjustment!.MaxFps.Numerator);
    }

    [Fact]
    public void Another_trigger_steps_down_even_when_the_index_is_low()
    {
        var decision = Ladder().Observe(At(0), 0.3, "the worker and its cgroup are both over their thresholds");
        Assert.Equal(Rung.FrameRate, decision.To);
        Assert.StartsWith("the worker and its cgroup", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Calm_steps_back_up_one_rung_per_calm_spell_and_middling_pressure_restarts_the_spell()
    {
        var ladder = Ladder();
        ladder.Observe(At(0), 0.9, null);
        ladder.Observe(At(10), 0.9, null);
        Assert.Equal(Rung.Resolution, ladder.Current);

        Assert.False(ladder.Observe(At(11), 0.2, null).Moves);
        Assert.False(ladder.Observe(At(70), 0.2, null).Moves);     // 59 s of calm
        Assert.False(ladder.Observe(At(71), 0.4, null).Moves);     // between the lines: the spell ends
        Assert.False(ladder.Observe(At(72), 0.2, null).Moves);
        var up = ladder.Observe(At(132), 0.2, null);                // 60 s of calm again
        Assert.Equal((Rung.Resolution, Rung.FrameRate), (up.From, up.To));
        Assert.False(up.Adjustment!.HasMaxHeight);
        Assert.Equal(15000, up.Adjustment.MaxFps.Numerator);

        Assert.False(ladder.Observe(At(150), 0.2, null).Moves);     // the next step needs a spell of its own
        var full = ladder.Observe(At(192), 0.2, null);
        Assert.Equal((Rung.Full, null), (full.To, full.Adjustment));
    }

    [Fact]
    public void Calm_never_steps_above_the_rung_admission_control_started_the_session_on()
    {
        // Admitted on the resolution rung: its worker's limits were weighed for that rung, not the ones above.
        var ladder = new DowngradeLadder(new LadderOptions(), Hd, null, Start, initial: Rung.Resolution, ceiling: Rung.Resolution);
        Assert.All(Enumerable.Range(0, 10), i => Assert.False(ladder.Observe(At(i * 60), 0.0, null).Moves));
        Assert.Equal(Rung.Resolution, ladder.Current);

        // Pressed down to the encoder rung, it comes back to the admitted rung and stops there.
        Assert.Equal(Rung.Encoder, ladder.Observe(At(700), 0.9, null).To);
        Assert.False(ladder.Observe(At(720), 0.0, null).Moves);
        Assert.Equal(Rung.Resolution, ladder.Observe(At(780), 0.0, null).To);
        Assert.All(Enumerable.Range(0, 5), i => Assert.False(ladder.Observe(At(900 + (i * 60)), 0.0, null).Moves));
    }

    [Fact]
    public void A_recorded_leak_through_the_pressure_window_walks_the_ladder_in_order()
    {
        // A worker with a 1 GiB limit leaking 8 MiB/s from 200 MiB, sampled every second.
        var window = new PressureWindow(new PressureIndexOptions());
        var ladder = Ladder();
        var moves = new List<(double Second, Rung To)>();
        for (var t = 0; t < 240; t++)
        {
            var current = Math.Min(1024, 200 + (8 * t)) * (1L << 20);
            var smoothed = window.Add(new MemorySample(At(t), current, current, 1L << 30, current, 0, 0, TimeSpan.Zero, 0, 0, 0));
            if (ladder.Observe(At(t), smoothed, null) is { Moves: true } move)
            {
                moves.Add((t, move.To));
            }
        }

        Assert.Equal([Rung.FrameRate, Rung.Resolution, Rung.Encoder, Rung.Evicted], moves.Select(m => m.To));
        Assert.All(moves.Zip(moves.Skip(1)), pair => Assert.True(pair.Second.Second - pair.First.Second >= 10));
    }
}
