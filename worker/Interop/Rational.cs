using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

/// <summary>
/// An exact rational number with the memory layout of FFmpeg's <c>AVRational</c>. Time bases,
/// frame rates and aspect ratios are rationals; never round them to milliseconds or doubles
/// until a value is shown to a person.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct Rational(int Numerator, int Denominator)
{
    public static Rational Zero => new(0, 1);

    public bool IsValid => Numerator > 0 && Denominator > 0;

    public double ToDouble() => Denominator == 0 ? 0 : (double)Numerator / Denominator;

    public Rational Invert() => new(Denominator, Numerator);

    /// <summary>Parses <c>30</c>, <c>30000/1001</c> or <c>29.97</c> (decimals become an exact x/1000 fraction, reduced).</summary>
    public static bool TryParse(string text, out Rational value)
    {
        value = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (int.TryParse(text.AsSpan(0, slash), out var num) && int.TryParse(text.AsSpan(slash + 1), out var den) && den != 0)
            {
                value = new Rational(num, den);
                return true;
            }

            return false;
        }

        if (int.TryParse(text, out var whole))
        {
            value = new Rational(whole, 1);
            return true;
        }

        if (decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var dec)
            && Math.Abs(dec) < 1_000_000)
        {
            value = Reduce((int)Math.Round(dec * 1000), 1000);
            return true;
        }

        return false;
    }

    /// <summary>A time base of one microsecond (FFmpeg's AV_TIME_BASE_Q).</summary>
    public static Rational Microseconds => new(1, 1_000_000);

    /// <summary>Re-expresses a timestamp in another time base, rounding to nearest (<c>av_rescale_q</c>).</summary>
    public static long Rescale(long timestamp, Rational from, Rational to) => LibAVUtil.av_rescale_q(timestamp, from, to);

    /// <summary>Converts a timestamp counted in this time base to a <see cref="TimeSpan"/> (for display and progress).</summary>
    public TimeSpan ToTimeSpan(long timestamp) =>
        TimeSpan.FromTicks((long)((Int128)timestamp * Numerator * TimeSpan.TicksPerSecond / Denominator));

    public override string ToString() => $"{Numerator}/{Denominator}";

    private static Rational Reduce(int num, int den)
    {
        var gcd = (int)System.Numerics.BigInteger.GreatestCommonDivisor(num, den);
        return gcd == 0 ? new Rational(num, den) : new Rational(num / gcd, den / gcd);
    }
}
