namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>Waits for a condition the supervisor reaches asynchronously, with a hard timeout and no fixed sleeps.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns as soon as <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/> (stretched by <see cref="TestTime"/>).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        timeout = TestTime.Limit(timeout);
        var end = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= end)
            {
                Assert.Fail($"not within {timeout.TotalSeconds:0.#} s: {what()}");
            }

            await Task.Delay(Interval);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);
}
