using Sandbox.Supervisor.Memory;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>The memory policy's formulas (seed chapter 4) against hand-computed values and recorded sample series.</summary>
public sealed class MemoryPressureTests
{
    private const long MiB = 1 << 20;
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly PressureIndexOptions Seed = new();

    private static MemorySample Sample(double seconds, long currentMiB, long limitMiB = 1024, long refaults = 0, double fullStallSeconds = 0) =>
        new(Start.AddSeconds(seconds), currentMiB * MiB, currentMiB * MiB, limitMiB * MiB, currentMiB * MiB, 0, refaults, TimeSpan.FromSeconds(fullStallSeconds), 0, 0, 0);

    [Fact]
    public void The_index_blends_usage_refaults_and_full_stalls_with_the_seed_weights()
    {
        // 512 of 1024 MiB, 500 refaults/s, all tasks stalled 10% of the second:
        // 0.6·0.5 + 0.2·(500/1000) + 0.2·0.1 = 0.3 + 0.1 + 0.02.
        var mpi = PressureIndex.Of(Sample(0, 512), Sample(1, 512, refaults: 500, fullStallSeconds: 0.1), Seed);
        Assert.Equal(0.42, mpi, 6);
    }

    [Fact]
    public void The_index_is_capped_at_one_and_counts_usage_alone_without_a_previous_sample()
    {
        Assert.Equal(0.3, PressureIndex.Of(null, Sample(0, 512), Seed), 6);
        Assert.Equal(1.0, PressureIndex.Of(Sample(0, 1024), Sample(1, 1100, refaults: 50_000, fullStallSeconds: 1), Seed), 6);
        Assert.Equal(0.0, PressureIndex.Of(null, Sample(0, 512, limitMiB: 0), Seed), 6);
    }

    [Fact]
    public void The_window_weights_each_sample_by_095_to_the_power_of_its_age()
    {
        var window = new PressureWindow(Seed);
        window.Add(Sample(0, 0));           // MPI 0
        var smoothed = window.Add(Sample(1, 1024)); // MPI 0.6, age 0 (weight 1); the first is 1 s old (0.95)
        Assert.Equal(0.6 / (1 + 0.95), smoothed, 6);
    }

    [Fact]
    public void A_single_spike_does_not_hold_the_index_up_but_a_sustained_rise_does()
    {
        // Recorded shape: a calm worker at 30% of its limit for a minute, one spike to 95%, calm again.
        var window = new PressureWindow(Seed);
        for (var t = 0; t < 60; t++)
        {
            window.Add(Sample(t, 307));
        }

        var spike = window.Add(Sample(60, 973));
        var after = window.Add(Sample(61, 307));
        Assert.True(spike < 0.35, $"one spike moved the index to {spike}");
        Assert.True(after < spike);

        // A leak: +20 MiB/s from 307 MiB. With 0.95 per second the window's weight is mostly in its
        // last ~20 s, so the smoothed index lags the instantaneous one by ~10 s but keeps rising.
        double rising = 0;
        for (var t = 62; t < 92; t++)
        {
            rising = window.Add(Sample(t, 307 + ((t - 61) * 20)));
        }

        Assert.True(rising > 0.35 && rising > spike, $"a 30 s leak left the index at {rising}");
    }

    [Fact]
    public void Samples_older_than_the_window_drop_out()
    {
        var window = new PressureWindow(Seed);
        window.Add(Sample(0, 1024));
        window.Add(Sample(60, 0));
        Assert.Equal(0.0, window.Smoothed(Start.AddSeconds(60)), 6);
    }

    [Theory]
    [InlineData(850, 950, true)]    // both over: 0.4 + 0.6
    [InlineData(850, 900, false)]   // cgroup at exactly 90%: not over
    [InlineData(700, 990, false)]   // only the cgroup (cache): 0.6
    [InlineData(990, 500, false)]   // only the worker: 0.4
    public void The_dual_source_trigger_needs_both_views_with_the_seed_weights(long workerMiB, long cgroupMiB, bool trips) =>
        Assert.Equal(trips, DualSourceTrigger.Trips(workerMiB * MiB, cgroupMiB * MiB, 1000 * MiB, new DualSourceTriggerOptions()));

    [Fact]
    public void The_dynamic_threshold_follows_the_seed_formula()
    {
        // 4 workers of 500 MiB peak, 8 concurrent I/O requests, 30 s since the last reclaim:
        // 0.62·(4·500) + 0.28·(32·3) + 0.10·30 = 1240 + 26.88 + 3.
        Assert.Equal(1269.88, DynamicThreshold.MiB(4, 500, 8, TimeSpan.FromSeconds(30), new DynamicThresholdOptions()), 6);

        // ⌊log₂N⌋ as the seed's bit length − 1; Δt counts up to its cap; no I/O, no buffer term.
        Assert.Equal(0.62 * 500 + (0.28 * 32 * 2), DynamicThreshold.MiB(1, 500, 7, TimeSpan.Zero, new DynamicThresholdOptions()), 6);
        Assert.Equal(60, DynamicThreshold.MiB(0, 0, 0, TimeSpan.FromHours(5), new DynamicThresholdOptions()), 6);
    }
}
