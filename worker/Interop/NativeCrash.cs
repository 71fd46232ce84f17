namespace Sandbox.Worker.Interop;

/// <summary>
/// A genuine native crash for fault-injection tests: FFmpeg dereferences an invalid pointer, so the
/// process dies of SIGSEGV inside libavutil exactly as it would on a decoder bug.
/// </summary>
public static class NativeCrash
{
    /// <summary>An address in the never-mapped first page.</summary>
    private const nint Invalid = 0x10;

    public static void Segfault() => LibAVUtil.av_frame_unref_pointer(Invalid);
}
