namespace Sandbox.Worker.Engine;

/// <summary>
/// The size FFmpeg's <c>scale</c> filter makes for the spec's width and height: a side left out (or
/// 0) follows the other one at the input's aspect ratio, rounded to an even number (<c>-2</c>).
/// </summary>
internal static class ScaledSize
{
    public static (int Width, int Height) Of(int inputWidth, int inputHeight, int? width, int? height)
    {
        var w = width is null or 0 ? (int?)null : width;
        var h = height is null or 0 ? (int?)null : height;
        return (w, h) switch
        {
            (null, null) => (inputWidth, inputHeight),
            ({ } fixedWidth, { } fixedHeight) => (fixedWidth, fixedHeight),
            ({ } fixedWidth, null) => (fixedWidth, Even((double)fixedWidth * inputHeight / inputWidth)),
            (null, { } fixedHeight) => (Even((double)fixedHeight * inputWidth / inputHeight), fixedHeight),
        };
    }

    private static int Even(double size) => Math.Max(2, (int)Math.Round(size / 2, MidpointRounding.AwayFromZero) * 2);
}
