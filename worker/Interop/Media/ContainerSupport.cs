namespace Sandbox.Worker.Interop;

/// <summary>Asks libavformat whether a muxer can store a codec (<c>avformat_query_codec</c>).</summary>
public static class ContainerSupport
{
    /// <summary>
    /// False only when the muxer says it cannot store the codec. Some muxers (mpegts) keep no codec
    /// list and answer "unknown"; for those the muxer itself refuses a bad codec when the header is written.
    /// </summary>
    public static bool CanStore(string muxerName, int codecId)
    {
        var muxer = LibAVFormat.av_guess_format(muxerName, null, null);
        return muxer != nint.Zero && LibAVFormat.avformat_query_codec(muxer, codecId, 0) != 0;
    }
}
