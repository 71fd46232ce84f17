namespace Sandbox.Worker.Interop;

/// <summary>The kind of an elementary stream (FFmpeg's <c>AVMediaType</c>, reduced to what the engine handles).</summary>
public enum MediaKind
{
    Other,
    Video,
    Audio,
}
