using Sandbox.Worker.Engine;

namespace Sandbox.Worker.Tests.Engine;

public sealed class AudioPlannerTests
{
    [Theory]
    [InlineData(44_100, new int[0], 44_100)]
    [InlineData(48_000, new[] { 48_000, 24_000, 16_000, 12_000, 8_000 }, 48_000)]
    [InlineData(44_100, new[] { 48_000, 24_000, 16_000, 12_000, 8_000 }, 48_000)]
    [InlineData(22_050, new[] { 48_000, 24_000, 16_000, 12_000, 8_000 }, 24_000)]
    [InlineData(96_000, new[] { 48_000, 24_000, 16_000, 12_000, 8_000 }, 48_000)]
    public void Picks_the_wanted_rate_or_the_nearest_one_above_that_the_encoder_takes(int wanted, int[] supported, int chosen) =>
        Assert.Equal(chosen, AudioPlanner.ChooseSampleRate(wanted, supported));
}
