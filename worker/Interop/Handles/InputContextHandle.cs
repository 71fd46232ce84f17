namespace Sandbox.Worker.Interop;

/// <summary>An input <c>AVFormatContext</c> opened with <c>avformat_open_input</c>.</summary>
internal sealed class InputContextHandle : FFmpegHandle
{
    public static InputContextHandle Adopt(nint opened) => Adopt(new InputContextHandle(), opened, "avformat_open_input");

    protected override bool ReleaseHandle()
    {
        LibAVFormat.avformat_close_input(ref handle);
        return true;
    }
}
