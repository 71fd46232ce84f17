using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>Turns what the interop layer throws into a <see cref="TranscodeException"/> with a reason.</summary>
internal static class FailureMapping
{
    private static readonly string[] InputOperations =
        ["avformat_open_input", "avformat_find_stream_info", "av_read_frame", "avcodec_send_packet", "avcodec_receive_frame", "avcodec_find_decoder"];

    private static readonly string[] OutputOperations =
        ["avio_open2", "avformat_write_header", "av_interleaved_write_frame", "av_write_trailer"];

    /// <summary>The reasoned failure for <paramref name="error"/>, or null when it is not an interop failure.</summary>
    public static TranscodeException? Map(Exception error, InterruptGuard interrupt) => error switch
    {
        FFmpegException e when e.IsExit || interrupt.IsInterrupted => Interrupted(interrupt, e),
        FFmpegException e => Classify(e),
        PictureTooLargeException e => new TranscodeException(ErrorReason.INPUT_LIMIT_EXCEEDED, $"the input exceeds the decoder caps: {e.Message}", e),
        _ => null,
    };

    public static TranscodeException Interrupted(InterruptGuard interrupt, Exception? inner) =>
        interrupt.IsCancelled
            ? new TranscodeException(ErrorReason.CANCELLED, "the transcode was cancelled", inner)
            : new TranscodeException(ErrorReason.DEADLINE_EXCEEDED, "the transcode did not finish before its deadline", inner);

    /// <summary>By the stage that failed: reading the input, or writing the output; anything else is ours.</summary>
    private static TranscodeException Classify(FFmpegException e)
    {
        if (InputOperations.Any(op => e.Operation.StartsWith(op, StringComparison.Ordinal)) || e.Operation.EndsWith("decoder)", StringComparison.Ordinal))
        {
            return new TranscodeException(ErrorReason.INPUT_CORRUPT, $"the input could not be read: {e.Message}", e);
        }

        if (OutputOperations.Any(op => e.Operation.StartsWith(op, StringComparison.Ordinal)))
        {
            return new TranscodeException(ErrorReason.OUTPUT_FAILED, $"the output could not be written: {e.Message}", e);
        }

        return new TranscodeException(ErrorReason.INTERNAL, e.Message, e);
    }
}
