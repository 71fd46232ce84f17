namespace Sandbox.Worker.Interop;

/// <summary>The codecs, demuxers, muxers and hardware device types compiled into the FFmpeg libraries found at run time.</summary>
public static class CodecCatalog
{
    private static readonly Lazy<IReadOnlyList<CodecInfo>> Codecs = new(ReadCodecs);

    public static IReadOnlyList<CodecInfo> All => Codecs.Value;

    /// <summary>The encoder with this FFmpeg name (e.g. <c>libx264</c>), or null when this build lacks it.</summary>
    public static CodecInfo? FindEncoder(string name) =>
        All.FirstOrDefault(c => c.IsEncoder && c.Name == name);

    public static IReadOnlyList<string> HardwareDeviceTypes()
    {
        var types = new List<string>();
        for (var type = LibAVUtil.av_hwdevice_iterate_types(0); type != 0; type = LibAVUtil.av_hwdevice_iterate_types(type))
        {
            types.Add(System.Runtime.InteropServices.Marshal.PtrToStringUTF8(LibAVUtil.av_hwdevice_get_type_name(type)) ?? type.ToString());
        }

        return types;
    }

    public static IReadOnlyList<string> Demuxers() => Names(LibAVFormat.av_demuxer_iterate, Layout.AVInputFormat.name);

    public static IReadOnlyList<string> Muxers() => Names(LibAVFormat.av_muxer_iterate, Layout.AVOutputFormat.name);

    private delegate nint Iterator(ref nint opaque);

    private static List<string> Names(Iterator next, int nameOffset)
    {
        var names = new List<string>();
        nint opaque = 0;
        for (var format = next(ref opaque); format != nint.Zero; format = next(ref opaque))
        {
            names.Add(Field.ReadString(format, nameOffset) ?? "");
        }

        return names;
    }

    private static List<CodecInfo> ReadCodecs()
    {
        FFmpegVersionGuard.EnsureSupported();
        var codecs = new List<CodecInfo>();
        nint opaque = 0;
        for (var codec = LibAVCodec.av_codec_iterate(ref opaque); codec != nint.Zero; codec = LibAVCodec.av_codec_iterate(ref opaque))
        {
            codecs.Add(new CodecInfo
            {
                Name = Field.ReadString(codec, Layout.AVCodec.name) ?? "",
                Kind = Field.Read<int>(codec, Layout.AVCodec.type) switch
                {
                    LibAVUtil.AVMEDIA_TYPE_VIDEO => MediaKind.Video,
                    LibAVUtil.AVMEDIA_TYPE_AUDIO => MediaKind.Audio,
                    _ => MediaKind.Other,
                },
                CodecId = Field.Read<int>(codec, Layout.AVCodec.id),
                IsEncoder = LibAVCodec.av_codec_is_encoder(codec) != 0,
                IsDecoder = LibAVCodec.av_codec_is_decoder(codec) != 0,
                PixelFormats = TerminatedList(Field.Read<nint>(codec, Layout.AVCodec.pix_fmts), -1),
                SampleFormats = TerminatedList(Field.Read<nint>(codec, Layout.AVCodec.sample_fmts), -1),
                SampleRates = TerminatedList(Field.Read<nint>(codec, Layout.AVCodec.supported_samplerates), 0),
                AcceptsAnyFrameSize = (Field.Read<int>(codec, Layout.AVCodec.capabilities) & LibAVCodec.AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0,
                Pointer = codec,
            });
        }

        return codecs;
    }

    private static int[] TerminatedList(nint list, int terminator)
    {
        var values = new List<int>();
        for (var i = 0; list != nint.Zero; i++)
        {
            var value = Field.Read<int>(list, i * sizeof(int));
            if (value == terminator)
            {
                break;
            }

            values.Add(value);
        }

        return [.. values];
    }
}
