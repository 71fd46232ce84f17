using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

/// <summary>
/// Backs FFmpeg's <c>AVIOInterruptCB</c>: libavformat polls it during blocking I/O and probing,
/// and aborts with AVERROR_EXIT once the token is cancelled or the deadline has passed.
/// </summary>
public sealed class InterruptGuard : IDisposable
{
    private readonly CancellationToken _cancellation;
    private readonly TimeProvider _time;
    private readonly long _deadlineTimestamp;
    private GCHandle _self;

    public InterruptGuard(TimeSpan? timeout, TimeProvider time, CancellationToken cancellation)
    {
        _cancellation = cancellation;
        _time = time;
        _deadlineTimestamp = timeout is { } t
            ? time.GetTimestamp() + (long)(t.TotalSeconds * time.TimestampFrequency)
            : long.MaxValue;
        _self = GCHandle.Alloc(this);
    }

    public bool IsCancelled => _cancellation.IsCancellationRequested;

    public bool IsPastDeadline => _time.GetTimestamp() >= _deadlineTimestamp;

    public bool IsInterrupted => IsCancelled || IsPastDeadline;

    /// <summary>Writes the callback and its opaque pointer into an <c>AVIOInterruptCB</c> at <paramref name="callbackStruct"/>.</summary>
    internal unsafe void Install(nint callbackStruct)
    {
        Field.Write(callbackStruct, Layout.AVIOInterruptCB.callback, (nint)(delegate* unmanaged[Cdecl]<nint, int>)&OnPoll);
        Field.Write(callbackStruct, Layout.AVIOInterruptCB.opaque, GCHandle.ToIntPtr(_self));
    }

    public void Dispose()
    {
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnPoll(nint opaque) =>
        GCHandle.FromIntPtr(opaque).Target is InterruptGuard { IsInterrupted: true } ? 1 : 0;
}
