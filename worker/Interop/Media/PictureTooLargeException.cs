namespace Sandbox.Worker.Interop;

/// <summary>An input stream declares a picture larger than <see cref="DecoderLimits.MaxPixels"/>.</summary>
public sealed class PictureTooLargeException(int streamIndex, int width, int height, long maxPixels)
    : Exception($"stream {streamIndex} declares a {width}x{height} picture ({(long)width * height} pixels), above the limit of {maxPixels} pixels")
{
    public int StreamIndex { get; } = streamIndex;
}
