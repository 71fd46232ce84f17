using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Tests.Interop;

public sealed class RationalTests
{
    [Theory]
    [InlineData("30", 30, 1)]
    [InlineData("30000/1001", 30000, 1001)]
    [InlineData("29.97", 2997, 100)]
    [InlineData("0", 0, 1)]
    public void Parses_integers_fractions_and_decimals(string text, int numerator, int denominator)
    {
        Assert.True(Rational.TryParse(text, out var value));
        Assert.Equal(new Rational(numerator, denominator), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1/0")]
    public void Rejects_what_is_not_a_rate(string text) => Assert.False(Rational.TryParse(text, out _));

    [Fact]
    public void Rescales_exactly_with_ffmpeg_rounding()
    {
        Assert.Equal(90_000, Rational.Rescale(1, new Rational(1, 1), new Rational(1, 90_000)));
        Assert.Equal(3003, Rational.Rescale(1, new Rational(1001, 30000), new Rational(1, 90_000)));
        Assert.Equal(TimeSpan.FromSeconds(1.5), new Rational(1, 1000).ToTimeSpan(1500));
    }
}
