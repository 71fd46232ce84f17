using Microsoft.Extensions.Time.Testing;
using Sandbox.Supervisor.Isolation.Cgroups;
using Sandbox.Supervisor.Workers.Hangs;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>
/// The hang rule on recorded series of a worker's CPU readings (every 0.5 s, timeout 3 s, as the chaos
/// suite runs it): a starved worker gets more time and is not hung, a sleeping or stopped one is hung
/// at the timeout whatever the host does, one that spins without progress on an idle host is hung at
/// the timeout, and progress re-arms the clock.
/// </summary>
public sealed class HangRuleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A worker's readings: per second of wall time, the CPU it got and the stall the host (or its cgroup) saw.</summary>
    private static IEnumerable<(DateTimeOffset At, CpuReading Reading)> Series(double cpuPerSecond, double? stallPerSecond, double loadPerCpu = 0.2, double seconds = 20)
    {
        for (var t = 0.0; t <= seconds + 1e-9; t += Step.TotalSeconds)
        {
            yield return (Start + TimeSpan.FromSeconds(t), new CpuReading(
                TimeSpan.FromSeconds(7 + (cpuPerSecond * t)),
                stallPerSecond is { } stall ? TimeSpan.FromSeconds(1000 + (stall * t)) : null,
                loadPerCpu));
        }
    }

    /// <summary>Feeds the series to a rule that saw progress at <see cref="Start"/>; returns each verdict by its time.</summary>
    private static List<(TimeSpan At, HangVerdict Verdict)> Replay(IEnumerable<(DateTimeOffset At, CpuReading Reading)> series, HangRuleOptions? options = null)
    {
        var rule = new HangRule(options ?? new HangRuleOptions(Timeout));
        rule.Progressed(Start);
        return [.. series.Select(r => (r.At - Start, rule.Observe(r.At, r.Reading)))];
    }

    private static TimeSpan FirstHung(List<(TimeSpan At, HangVerdict Verdict)> verdicts) =>
        verdicts.First(v => v.Verdict.State == HangState.Hung).At;

    [Fact]
    public void A_starved_worker_is_given_more_time_and_is_hung_only_at_four_timeouts()
    {
        // 4 busy loops and 2 workers on 2 CPUs: the worker gets a third of a CPU, runnable work waits 90% of the time.
        var verdicts = Replay(Series(cpuPerSecond: 0.33, stallPerSecond: 0.9));

        Assert.All(verdicts.Where(v => v.At < Timeout), v => Assert.Equal(HangState.Progressing, v.Verdict.State));
        Assert.All(verdicts.Where(v => v.At >= Timeout && v.At < Timeout * 4), v =>
        {
            Assert.Equal(HangState.Starved, v.Verdict.State);
            Assert.True(v.Verdict.Contended);
            Assert.InRange(v.Verdict.CpuShare, 0.32, 0.34);
            Assert.InRange(v.Verdict.StallShare, 0.89, 0.91);
        });
        Assert.Equal(Timeout * 4, FirstHung(verdicts));
        Assert.True(verdicts.First(v => v.At == Timeout * 4).Verdict.Contended);
    }

    [Fact]
    public void A_sleeping_worker_is_hung_at_the_timeout_even_on_a_saturated_host()
    {
        // Frozen (SIGSTOP) or blocked: its cgroup's CPU does not move, while the host is as busy as above.
        var stopped = Replay(Series(cpuPerSecond: 0, stallPerSecond: 0.9));
        Assert.Equal(Timeout, FirstHung(stopped));

        // An idle .NET process still ticks a little (timers, GC): far below the threshold.
        var asleep = Replay(Series(cpuPerSecond: 0.002, stallPerSecond: 0.9));
        Assert.Equal(Timeout, FirstHung(asleep));
        Assert.All(asleep, v => Assert.NotEqual(HangState.Starved, v.Verdict.State));
    }

    [Fact]
    public void A_worker_spinning_without_progress_on_an_idle_host_is_hung_at_the_timeout()
    {
        var verdicts = Replay(Series(cpuPerSecond: 1.0, stallPerSecond: 0.01));
        var hung = verdicts.First(v => v.Verdict.State == HangState.Hung);
        Assert.Equal(Timeout, hung.At);
        Assert.False(hung.Verdict.Contended);
        Assert.InRange(hung.Verdict.CpuShare, 0.99, 1.01);
    }

    [Fact]
    public void Without_pressure_information_the_load_average_tells_a_busy_host()
    {
        Assert.Equal(Timeout * 4, FirstHung(Replay(Series(cpuPerSecond: 0.3, stallPerSecond: null, loadPerCpu: 3.0))));
        Assert.Equal(Timeout, FirstHung(Replay(Series(cpuPerSecond: 0.3, stallPerSecond: null, loadPerCpu: 0.4))));
    }

    [Fact]
    public void Progress_restarts_the_clock_and_clears_the_starvation()
    {
        var rule = new HangRule(new HangRuleOptions(Timeout));
        rule.Progressed(Start);
        var series = Series(cpuPerSecond: 0.33, stallPerSecond: 0.9).ToList();
        foreach (var (at, reading) in series.Where(r => r.At - Start <= TimeSpan.FromSeconds(5)))
        {
            rule.Observe(at, reading);
        }

        Assert.True(rule.WasStarved);
        rule.Progressed(Start + TimeSpan.FromSeconds(5));
        Assert.False(rule.WasStarved);
        var next = series.First(r => r.At - Start == TimeSpan.FromSeconds(7.5));
        Assert.Equal(HangState.Progressing, rule.Observe(next.At, next.Reading).State);
    }

    [Fact]
    public void The_watchdog_kills_a_stopped_worker_at_the_timeout_and_tells_of_a_starved_one_once()
    {
        var time = new FakeTimeProvider(Start);
        var cpu = TimeSpan.Zero;
        var stall = TimeSpan.Zero;
        var starved = new List<HangVerdict>();
        var hung = new List<HangVerdict>();
        using var watchdog = new ProgressWatchdog(new HangRuleOptions(Timeout), () => new CpuReading(cpu, stall, 0), time, starved.Add, hung.Add);

        // Starved for 6 s: told once, not killed.
        for (var i = 0; i < 12; i++)
        {
            cpu += TimeSpan.FromMilliseconds(150);
            stall += TimeSpan.FromMilliseconds(450);
            time.Advance(Step);
        }

        Assert.Single(starved);
        Assert.Empty(hung);
        Assert.Null(watchdog.Hung);

        // Progress, then frozen: hung one timeout later, with the starvation of the earlier silence forgotten.
        watchdog.Progressed();
        for (var i = 0; i < 5; i++)
        {
            time.Advance(Step);
        }

        Assert.Empty(hung);
        time.Advance(Step);
        var verdict = Assert.Single(hung);
        Assert.Equal(Timeout, verdict.Silence);
        Assert.Same(verdict, watchdog.Hung);
        Assert.False(watchdog.WasStarved);
        Assert.Single(starved);
    }
}
