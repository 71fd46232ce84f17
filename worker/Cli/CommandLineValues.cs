using System.Globalization;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Cli;

/// <summary>Parsers for the value syntaxes the command line accepts (bit rates, sizes, durations).</summary>
internal static class CommandLineValues
{
    /// <summary><c>1500k</c>, <c>2M</c>, <c>1.5M</c> or plain bits per second. Signs are kept so validation can name a negative value.</summary>
    public static bool TryParseBitRate(string text, out long bitsPerSecond)
    {
        bitsPerSecond = 0;
        var multiplier = char.ToLowerInvariant(text.Length > 0 ? text[^1] : ' ') switch
        {
            'k' => 1_000m,
            'm' => 1_000_000m,
            'g' => 1_000_000_000m,
            _ => 1m,
        };
        var number = multiplier == 1m ? text : text[..^1];
        if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || Math.Abs(value * multiplier) > long.MaxValue / 2)
        {
            return false;
        }

        bitsPerSecond = (long)(value * multiplier);
        return true;
    }

    /// <summary><c>1280x720</c>; either side may be 0 to keep the aspect ratio.</summary>
    public static bool TryParseSize(string text, out int width, out int height)
    {
        width = height = 0;
        var parts = text.ToLowerInvariant().Split('x');
        return parts.Length == 2 && int.TryParse(parts[0], out width) && int.TryParse(parts[1], out height);
    }

    /// <summary><c>250ms</c>, <c>90s</c>, <c>10m</c>, <c>1h</c>, <c>00:10:00</c>, or plain seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        (string Suffix, Func<double, TimeSpan> Make)[] units =
            [("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes), ("h", TimeSpan.FromHours)];
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                duration = make(amount);
                return true;
            }
        }

        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }

    /// <summary>Parses <c>fps=15,height=360,preset=veryfast,threads=2,lookahead=10,codec=hevc</c> (any subset, at least one).</summary>
    public static bool TryParseAdjustment(string text, out VideoAdjustment adjustment)
    {
        adjustment = new VideoAdjustment();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                return false;
            }

            var (name, value) = (pair[0], pair[1]);
            switch (name)
            {
                case "fps" when Rational.TryParse(value, out var fps):
                    adjustment = adjustment with { MaxFrameRate = fps };
                    break;
                case "height" when int.TryParse(value, out var height):
                    adjustment = adjustment with { MaxHeight = height };
                    break;
                case "preset":
                    adjustment = adjustment with { Preset = value };
                    break;
                case "threads" when int.TryParse(value, out var threads):
                    adjustment = adjustment with { Threads = threads };
                    break;
                case "lookahead" when int.TryParse(value, out var lookahead):
                    adjustment = adjustment with { Lookahead = lookahead };
                    break;
                case "codec" when CodecNames.ParseVideo(value) is { } codec:
                    adjustment = adjustment with { Codec = codec };
                    break;
                default:
                    return false;
            }
        }

        return !adjustment.IsEmpty;
    }
}
