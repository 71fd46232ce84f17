using System.Globalization;

namespace Sandbox.Worker.Tests.Media;

/// <summary>A rational as ffprobe prints it (<c>25/1</c>, <c>30000/1001</c>).</summary>
public readonly record struct MediaRational(long Numerator, long Denominator)
{
    public double Value => (double)Numerator / Denominator;

    /// <summary>Parses <c>N/D</c>; ffprobe's <c>0/0</c> ("unknown") and malformed text give null.</summary>
    public static MediaRational? TryParse(string? text)
    {
        var parts = text?.Split('/');
        return parts is [var numerator, var denominator]
            && long.TryParse(numerator, CultureInfo.InvariantCulture, out var n)
            && long.TryParse(denominator, CultureInfo.InvariantCulture, out var d)
            && d != 0
                ? new MediaRational(n, d)
                : null;
    }

    public override string ToString() => $"{Numerator}/{Denominator}";
}
