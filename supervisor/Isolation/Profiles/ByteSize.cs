namespace Sandbox.Supervisor.Isolation.Profiles;

/// <summary>Sizes as profiles write them: plain bytes, or a number with KiB, MiB or GiB.</summary>
public static class ByteSize
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        (string Suffix, long Factor)[] units = [("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30)];
        var (number, factor) = units.Where(u => text.EndsWith(u.Suffix, StringComparison.Ordinal)).Select(u => (text[..^u.Suffix.Length], u.Factor)).FirstOrDefault((text, 1L));
        if (!long.TryParse(number, out var value) || value <= 0 || value > long.MaxValue / factor)
        {
            return false;
        }

        bytes = value * factor;
        return true;
    }
}
