using Microsoft.Extensions.Time.Testing;
using Sandbox.Supervisor.Supervision;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>The restart backoff and the supervisor-wide restart intensity, on a fake clock.</summary>
public sealed class RestartPolicyTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_first_restart_is_immediate()
    {
        Assert.Equal(TimeSpan.Zero, RestartBackoff.Delay(1, Base, Max, jitter: 0));
        Assert.Equal(TimeSpan.Zero, RestartBackoff.Delay(1, Base, Max, jitter: 0.99));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 4)]
    [InlineData(6, 16)]
    [InlineData(7, 30)]
    [InlineData(40, 30)]
    public void Later_restarts_double_up_to_the_cap_with_jitter_between_half_and_all(int restart, double stepSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(stepSeconds / 2), RestartBackoff.Delay(restart, Base, Max, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(stepSeconds), RestartBackoff.Delay(restart, Base, Max, jitter: 1));
        var random = RestartBackoff.Delay(restart, Base, Max, jitter: new Random(restart).NextDouble());
        Assert.InRange(random, TimeSpan.FromSeconds(stepSeconds / 2), TimeSpan.FromSeconds(stepSeconds));
    }

    [Fact]
    public void The_intensity_limit_trips_at_n_restarts_in_the_window_and_clears_as_they_age()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var intensity = new RestartIntensity(limit: 3, TimeSpan.FromSeconds(60), time);

        intensity.Record();
        time.Advance(TimeSpan.FromSeconds(10));
        intensity.Record();
        Assert.False(intensity.IsExhausted);
        Assert.Equal(TimeSpan.Zero, intensity.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(10));
        intensity.Record();

        Assert.True(intensity.IsExhausted);
        Assert.Equal(3, intensity.Recent);
        Assert.Equal(TimeSpan.FromSeconds(40), intensity.RetryAfter);

        // The first restart leaves the window 60 s after it was made.
        time.Advance(TimeSpan.FromSeconds(39));
        Assert.True(intensity.IsExhausted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(intensity.IsExhausted);
        Assert.Equal(2, intensity.Recent);
    }

    [Fact]
    public void Only_deaths_a_fresh_worker_may_survive_are_restarted()
    {
        var failure = new Sandbox.Api.V1.Failure();
        Assert.True(new WorkerDeath(DeathClass.NativeCrash, failure).Restartable);
        Assert.True(new WorkerDeath(DeathClass.Abort, failure).Restartable);
        Assert.True(new WorkerDeath(DeathClass.OomKill, failure).Restartable);
        Assert.True(new WorkerDeath(DeathClass.LostConnection, failure).Restartable);
        Assert.True(new WorkerDeath(DeathClass.Hang, failure).Restartable);
        Assert.False(new WorkerDeath(DeathClass.Seccomp, failure).Restartable);
        Assert.False(new WorkerDeath(DeathClass.Failed, failure).Restartable);
        Assert.Equal("native_crash", new WorkerDeath(DeathClass.NativeCrash, failure).Name);
    }
}
