namespace Sandbox.Tests.Shared;

/// <summary>
/// Time limits of the tests, written for the build machines and stretched by the whole factor in
/// <c>SANDBOX_TEST_TIME_SCALE</c> (default 1) where everything runs far slower: scripts/test sets it
/// for the tests it runs in the cgroup v2 VM, whose software emulation runs .NET 5–15 times slower.
/// </summary>
public static class TestTime
{
    public static int Scale { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("SANDBOX_TEST_TIME_SCALE"), out var scale) && scale > 0 ? scale : 1;

    /// <summary><paramref name="onBuildMachine"/>, stretched for this environment.</summary>
    public static TimeSpan Limit(TimeSpan onBuildMachine) => onBuildMachine * Scale;
}
