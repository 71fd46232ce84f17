namespace Sandbox.Worker.Interop;

/// <summary>A decoded frame (<c>AVFrame</c>), reused: each consumer unreferences it when done.</summary>
public sealed class Frame : IDisposable
{
    internal FrameHandle Handle { get; } = FrameHandle.Allocate();

    private nint Pointer => Handle.DangerousGetHandle();

    /// <summary>Presentation timestamp in the time base of whoever produced the frame, or null when unknown.</summary>
    public long? Pts
    {
        get
        {
            var value = Field.Read<long>(Pointer, Layout.AVFrame.pts);
            return value == LibAVUtil.AV_NOPTS_VALUE ? null : value;
        }
        set => Field.Write(Pointer, Layout.AVFrame.pts, value ?? LibAVUtil.AV_NOPTS_VALUE);
    }

    /// <summary>The decoder's best guess of the presentation time (what ffmpeg itself uses), or null.</summary>
    public long? BestEffortTimestamp
    {
        get
        {
            var value = Field.Read<long>(Pointer, Layout.AVFrame.best_effort_timestamp);
            return value == LibAVUtil.AV_NOPTS_VALUE ? null : value;
        }
    }

    public int SampleCount => Field.Read<int>(Pointer, Layout.AVFrame.nb_samples);

    /// <summary>Lets the encoder choose frame types itself instead of copying the source's (as ffmpeg does).</summary>
    public void ClearPictureType() => Field.Write(Pointer, Layout.AVFrame.pict_type, LibAVUtil.AV_PICTURE_TYPE_NONE);

    /// <summary>Asks the encoder to make this frame a keyframe (with <c>forced-idr</c>, an IDR frame that closes the GOP).</summary>
    public void ForceKeyframe() => Field.Write(Pointer, Layout.AVFrame.pict_type, LibAVUtil.AV_PICTURE_TYPE_I);

    public void Unref() => LibAVUtil.av_frame_unref(Handle);

    public void Dispose() => Handle.Dispose();
}
