using Sandbox.Supervisor.Tests.ChaosSuite;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>The chaos suite's plan: a fixed mix in a seeded order, so no run is short of faults by chance.</summary>
public sealed class ChaosPlanTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(709)]
    [InlineData(123456)]
    public void A_hundred_sessions_with_failures_get_the_same_mix_whatever_the_seed(int seed)
    {
        var plan = ChaosPlan.Draw(100, seed, withFailures: true);

        var counts = plan.GroupBy(p => p.Mischief).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(55, counts[Mischief.None]);
        Assert.Equal(31, counts[Mischief.Fault]);
        Assert.Equal(5, counts[Mischief.ForbiddenSyscall]);
        Assert.Equal(4, counts[Mischief.Poison]);
        Assert.Equal(5, counts[Mischief.Cancel]);
        Assert.Equal(Enumerable.Range(0, 100), plan.Select(p => p.Index));
    }

    [Fact]
    public void Without_failures_the_syscall_and_poison_shares_become_faults()
    {
        var plan = ChaosPlan.Draw(30, 7, withFailures: false);

        Assert.DoesNotContain(plan, p => p.Mischief is Mischief.ForbiddenSyscall or Mischief.Poison);
        Assert.Equal(12, plan.Count(p => p.Mischief == Mischief.Fault));
        Assert.Equal(2, plan.Count(p => p.Mischief == Mischief.Cancel));
    }

    [Fact]
    public void A_seed_replays_its_run_and_another_seed_orders_it_differently()
    {
        Assert.Equal(ChaosPlan.Draw(100, 42, withFailures: true), ChaosPlan.Draw(100, 42, withFailures: true));
        Assert.NotEqual(
            ChaosPlan.Draw(100, 42, withFailures: true).Select(p => p.Mischief),
            ChaosPlan.Draw(100, 43, withFailures: true).Select(p => p.Mischief));
    }

    [Fact]
    public void Faulted_sessions_encode_webm_so_the_fault_lands_mid_run()
    {
        var plan = ChaosPlan.Draw(100, 5, withFailures: true);

        Assert.All(plan.Where(p => p.Mischief != Mischief.None), p => Assert.Equal(Sandbox.Api.V1.Container.Webm, p.Container));
        Assert.All(plan, p => Assert.InRange(p.At, TimeSpan.Zero, TimeSpan.FromSeconds(4)));
    }
}
