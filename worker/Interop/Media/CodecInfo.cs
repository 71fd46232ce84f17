namespace Sandbox.Worker.Interop;

/// <summary>One codec implementation of this FFmpeg build (<c>AVCodec</c>), with the formats it accepts.</summary>
public sealed record CodecInfo
{
    public required string Name { get; init; }

    public required MediaKind Kind { get; init; }

    public required int CodecId { get; init; }

    public required bool IsEncoder { get; init; }

    public required bool IsDecoder { get; init; }

    /// <summary>Pixel formats the encoder accepts (<c>AVPixelFormat</c> values, preferred first); empty when any.</summary>
    public IReadOnlyList<int> PixelFormats { get; init; } = [];

    /// <summary>Sample formats the encoder accepts (<c>AVSampleFormat</c> values, preferred first); empty when any.</summary>
    public IReadOnlyList<int> SampleFormats { get; init; } = [];

    /// <summary>Sample rates the encoder accepts; empty when any.</summary>
    public IReadOnlyList<int> SampleRates { get; init; } = [];

    /// <summary>The encoder takes audio frames of any size (AV_CODEC_CAP_VARIABLE_FRAME_SIZE).</summary>
    public bool AcceptsAnyFrameSize { get; init; }

    internal nint Pointer { get; init; }

    public static string PixelFormatName(int format) =>
        System.Runtime.InteropServices.Marshal.PtrToStringUTF8(LibAVUtil.av_get_pix_fmt_name(format)) ?? format.ToString();

    public static string SampleFormatName(int format) =>
        System.Runtime.InteropServices.Marshal.PtrToStringUTF8(LibAVUtil.av_get_sample_fmt_name(format)) ?? format.ToString();
}
