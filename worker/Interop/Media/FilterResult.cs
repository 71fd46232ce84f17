namespace Sandbox.Worker.Interop;

/// <summary>What pulling from a filter graph's sink gave.</summary>
public enum FilterResult
{
    /// <summary>A frame was written into the caller's frame.</summary>
    Frame,

    /// <summary>The graph needs more input before it can produce a frame.</summary>
    NeedsInput,

    /// <summary>The graph has been flushed and will produce nothing more.</summary>
    Finished,
}
