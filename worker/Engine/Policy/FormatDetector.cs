using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Decides which demuxer may read an input: FFmpeg's probes look at the first bytes (never the
/// file name), and the result must be on the policy's allowlist. The input is then opened with
/// exactly that demuxer.
/// </summary>
public static class FormatDetector
{
    /// <summary>How much of the input is read to decide its format.</summary>
    private const int ProbeBytes = 1 << 20;

    public static string Detect(string inputPath, InputPolicy policy)
    {
        byte[] head;
        using (var file = File.OpenRead(inputPath))
        {
            head = new byte[(int)Math.Min(file.Length, ProbeBytes)];
            file.ReadExactly(head);
        }

        if (head.Length == 0)
        {
            throw new TranscodeException(ErrorReason.INPUT_UNSUPPORTED, "the input is empty (0 bytes)");
        }

        var (format, score) = ContentProbe.Detect(head);
        if (format is null || score < ContentProbe.MinimumScore)
        {
            throw new TranscodeException(ErrorReason.INPUT_UNSUPPORTED, "the input is not in a recognised media format");
        }

        if (!policy.AllowsFormat(format))
        {
            throw new TranscodeException(
                ErrorReason.INPUT_UNSUPPORTED,
                $"the input is in format '{format}', which is not allowed (allowed: {string.Join(", ", policy.AllowedFormats)})");
        }

        return format;
    }
}
