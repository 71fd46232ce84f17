namespace Sandbox.Worker.Interop;

/// <summary>Asks libavformat whether a muxer can store a codec (<c>avformat_query_codec</c>).</summary>
public static class ContainerSupport
{
    /// <summary>True when the muxer says it can store the codec; false when it says no or does not know.</summary>
    public static bool CanStore(string muxerName, int codecId)
    {
        var muxer = LibAVFormat.av_guess_format(muxerName, null, null);
        return muxer != nint.Zero && LibAVFormat.avformat_query_codec(muxer, codecId, 0) == 1;
    }
}
