using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Tests.Unit;

public sealed class WarmPoolSizingTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Misses_grow_the_target_up_to_the_maximum()
    {
        var sizing = new WarmPoolSizing(1, 3, TimeSpan.FromMinutes(1), Start);
        Assert.Equal(1, sizing.Target);
        for (var i = 1; i <= 5; i++)
        {
            sizing.Miss(Start.AddSeconds(i));
        }

        Assert.Equal(3, sizing.Target);
    }

    [Fact]
    public void A_quiet_spell_shrinks_the_target_one_step_at_a_time_down_to_the_minimum()
    {
        var sizing = new WarmPoolSizing(1, 4, TimeSpan.FromMinutes(1), Start);
        sizing.Miss(Start);
        sizing.Miss(Start);
        sizing.Miss(Start);
        Assert.Equal(4, sizing.Target);

        sizing.Tick(Start.AddSeconds(59));
        Assert.Equal(4, sizing.Target);
        sizing.Tick(Start.AddSeconds(60));
        Assert.Equal(3, sizing.Target);

        // The next step needs a whole new spell, and a miss starts it over.
        sizing.Tick(Start.AddSeconds(100));
        Assert.Equal(3, sizing.Target);
        sizing.Miss(Start.AddSeconds(110));
        Assert.Equal(4, sizing.Target);
        sizing.Tick(Start.AddSeconds(169));
        Assert.Equal(4, sizing.Target);
        for (var minute = 3; minute <= 10; minute++)
        {
            sizing.Tick(Start.AddSeconds(110 + (minute - 2) * 60));
        }

        Assert.Equal(1, sizing.Target);
    }
}
