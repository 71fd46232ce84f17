namespace Sandbox.Worker.Engine;

/// <summary>
/// The closed list of reasons a transcode can fail with. The names are the wire form
/// (JSON today, <c>google.rpc.ErrorInfo.reason</c> once the supervisor exists).
/// </summary>
public enum ErrorReason
{
    /// <summary>The spec is invalid; field violations say which fields and why.</summary>
    INVALID_SPEC,

    /// <summary>The input path does not exist.</summary>
    INPUT_NOT_FOUND,

    /// <summary>A path lies outside the configured input or output roots.</summary>
    PATH_NOT_ALLOWED,

    /// <summary>The input is empty, not recognised as media, or in a format not on the allowlist.</summary>
    INPUT_UNSUPPORTED,

    /// <summary>The input was recognised but could not be demuxed or decoded.</summary>
    INPUT_CORRUPT,

    /// <summary>The input exceeds a decoder cap (pixels per frame, samples).</summary>
    INPUT_LIMIT_EXCEEDED,

    /// <summary>The requested encoder is not present in this FFmpeg build.</summary>
    ENCODER_UNAVAILABLE,

    /// <summary>Writing the output failed.</summary>
    OUTPUT_FAILED,

    /// <summary>The wall-clock deadline passed before the transcode finished.</summary>
    DEADLINE_EXCEEDED,

    /// <summary>The transcode was cancelled.</summary>
    CANCELLED,

    /// <summary>The FFmpeg libraries found are not the major versions this build was made for.</summary>
    FFMPEG_VERSION_MISMATCH,

    /// <summary>An unexpected failure inside the worker.</summary>
    INTERNAL,

    /// <summary>The worker could not finish sandboxing itself (its lockdown filter could not be installed), so it never opened the input.</summary>
    WORKER_START_FAILED,

    /// <summary>A checkpoint manifest is corrupt, of an unknown version, or belongs to another session, input or settings.</summary>
    CHECKPOINT_INVALID,

    /// <summary>The input is not the file the checkpoints were made from (size, modification time or content differ).</summary>
    INPUT_CHANGED,

    /// <summary>A hardware encoder could not be opened or failed (no device, no driver, out of sessions).</summary>
    HARDWARE_UNAVAILABLE,
}
