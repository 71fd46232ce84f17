namespace Sandbox.Worker.Interop;

/// <summary>Genuine native deaths for fault-injection tests, as bugs in native code cause them.</summary>
public static class NativeCrash
{
    /// <summary>An address in the never-mapped first page.</summary>
    private const nint Invalid = 0x10;

    /// <summary>FFmpeg dereferences an invalid pointer: SIGSEGV inside libavutil, as on a decoder bug.</summary>
    public static void Segfault() => LibAVUtil.av_frame_unref_pointer(Invalid);

    /// <summary>libc's <c>abort()</c>: SIGABRT, as a failed assertion or detected heap corruption raises it.</summary>
    public static void Abort() => LibC.abort();

    /// <summary><c>_exit(3)</c>: the process ends at once, no cleanup, no result sent.</summary>
    public static void Vanish() => LibC.exit_immediately(3);
}
