namespace Sandbox.Worker.Interop;

/// <summary>
/// Decides an input's format from its content alone (<c>av_probe_input_format3</c> over the first
/// bytes, with no file name so an extension cannot vote). The caller then opens the input with
/// exactly that demuxer, so libavformat never probes by itself and cannot pick a forbidden one.
/// </summary>
public static class ContentProbe
{
    /// <summary>Matches below this score are guesses (AVPROBE_SCORE_RETRY), not detections.</summary>
    public const int MinimumScore = 25;

    private const int PaddingSize = 32;

    /// <summary>Returns the best demuxer name and its score (0–100), or null when nothing matches.</summary>
    public static unsafe (string? FormatName, int Score) Detect(ReadOnlySpan<byte> head)
    {
        var buffer = new byte[head.Length + PaddingSize];
        head.CopyTo(buffer);
        var emptyName = stackalloc byte[1];
        var probeData = stackalloc byte[Layout.AVProbeData.SizeOf];
        new Span<byte>(probeData, Layout.AVProbeData.SizeOf).Clear();
        fixed (byte* data = buffer)
        {
            Field.Write((nint)probeData, Layout.AVProbeData.filename, (nint)emptyName);
            Field.Write((nint)probeData, Layout.AVProbeData.buf, (nint)data);
            Field.Write((nint)probeData, Layout.AVProbeData.buf_size, head.Length);
            var score = 0;
            var format = LibAVFormat.av_probe_input_format3(probeData, 1, &score);
            return format == nint.Zero ? (null, 0) : (Field.ReadString(format, Layout.AVInputFormat.name), score);
        }
    }
}
