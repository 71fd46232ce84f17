namespace Sandbox.Worker.Interop;

/// <summary>
/// Byte offsets of the few FFmpeg 5.1 (x86-64) struct fields this layer touches directly.
/// Each nested class is named after the C struct and each constant after the C field, so the
/// layout-conformance test can generate <c>offsetof(Struct, field)</c> for every entry and
/// compare it with the installed headers. <c>SizeOf</c> is <c>sizeof(Struct)</c>. A <c>struct_</c>
/// prefix marks a C struct tag rather than a typedef.
/// Prefer AVOptions and accessor functions; add a field here only when FFmpeg offers neither.
/// </summary>
internal static class Layout
{
    public static class AVFormatContext
    {
        public const int iformat = 8;
        public const int oformat = 16;
        public const int pb = 32;
        public const int nb_streams = 44;
        public const int streams = 48;
        public const int start_time = 64;
        public const int duration = 72;
        public const int interrupt_callback = 200;
    }

    public static class AVInputFormat
    {
        public const int name = 0;
    }

    public static class AVOutputFormat
    {
        public const int name = 0;
        public const int flags = 44;
    }

    public static class AVStream
    {
        public const int index = 0;
        public const int time_base = 16;
        public const int start_time = 24;
        public const int duration = 32;
        public const int disposition = 48;
        public const int codecpar = 208;
    }

    public static class AVCodecParameters
    {
        public const int codec_type = 0;
        public const int codec_id = 4;
        public const int codec_tag = 8;
        public const int format = 28;
        public const int width = 56;
        public const int height = 60;
        public const int sample_aspect_ratio = 64;
        public const int sample_rate = 116;
        public const int initial_padding = 128;
        public const int ch_layout = 144;
    }

    public static class AVCodecContext
    {
        public const int time_base = 100;
        public const int width = 116;
        public const int height = 120;
        public const int pix_fmt = 136;
        public const int sample_rate = 352;
        public const int sample_fmt = 360;
        public const int frame_size = 364;
        public const int initial_padding = 708;
        public const int framerate = 712;
        public const int ch_layout = 920;
    }

    public static class AVCodec
    {
        public const int name = 0;
        public const int type = 16;
        public const int id = 20;
        public const int capabilities = 24;
        public const int pix_fmts = 40;
        public const int supported_samplerates = 48;
        public const int sample_fmts = 56;
    }

    public static class AVFrame
    {
        public const int nb_samples = 112;
        public const int format = 116;
        public const int pict_type = 124;
        public const int pts = 136;
        public const int best_effort_timestamp = 344;
    }

    public static class AVPacket
    {
        public const int pts = 8;
        public const int dts = 16;
        public const int size = 32;
        public const int stream_index = 36;
        public const int flags = 40;
        public const int duration = 64;
    }

    public static class AVProbeData
    {
        public const int filename = 0;
        public const int buf = 8;
        public const int buf_size = 16;
        public const int mime_type = 24;
        public const int SizeOf = 32;
    }

    public static class AVIOInterruptCB
    {
        public const int callback = 0;
        public const int opaque = 8;
        public const int SizeOf = 16;
    }

    public static class AVChannelLayout
    {
        public const int nb_channels = 4;
        public const int SizeOf = 24;
    }

    public static class AVRational
    {
        public const int num = 0;
        public const int den = 4;
        public const int SizeOf = 8;
    }

    /// <summary>glibc's <c>struct stat</c> (x86-64): file type, permission bits and owner.</summary>
    public static class struct_stat
    {
        public const int st_mode = 24;
        public const int st_uid = 28;
        public const int st_gid = 32;
        public const int SizeOf = 144;
    }
}
