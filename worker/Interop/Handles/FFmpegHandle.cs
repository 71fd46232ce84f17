using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

/// <summary>Base of every handle that owns an FFmpeg object; a null pointer from an allocator means out of memory.</summary>
internal abstract class FFmpegHandle() : SafeHandle(nint.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == nint.Zero;

    protected static T Adopt<T>(T owner, nint pointer, string operation) where T : FFmpegHandle
    {
        if (pointer == nint.Zero)
        {
            owner.Dispose();
            throw FFmpegException.OutOfMemory(operation);
        }

        owner.SetHandle(pointer);
        return owner;
    }
}
