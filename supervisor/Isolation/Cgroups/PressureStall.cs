using System.Globalization;

namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>A cgroup's pressure stall information for one resource (<c>memory.pressure</c>, cgroup v2).</summary>
/// <param name="SomeAvg10">Percent of the last 10 s in which at least one task stalled.</param>
/// <param name="FullAvg10">Percent of the last 10 s in which all non-idle tasks stalled at once.</param>
public sealed record PressureStall(double SomeAvg10, double FullAvg10, TimeSpan SomeTotal, TimeSpan FullTotal)
{
    /// <summary>
    /// Reads the kernel's two lines, <c>some avg10=0.12 avg60=… avg300=… total=MICROSECONDS</c> and
    /// the same for <c>full</c>; null when the text has neither.
    /// </summary>
    public static PressureStall? Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length > 1)
            .ToDictionary(parts => parts[0], parts => parts.Skip(1).Select(p => p.Split('=')).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]));
        if (!lines.TryGetValue("some", out var some))
        {
            return null;
        }

        var full = lines.GetValueOrDefault("full") ?? [];
        return new PressureStall(Average(some), Average(full), Total(some), Total(full));
    }

    private static double Average(Dictionary<string, string> values) =>
        values.TryGetValue("avg10", out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static TimeSpan Total(Dictionary<string, string> values) =>
        values.TryGetValue("total", out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds)
            ? TimeSpan.FromMicroseconds(microseconds)
            : TimeSpan.Zero;
}
