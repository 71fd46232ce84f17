namespace Sandbox.Worker.Engine;

/// <summary>The output containers the engine writes.</summary>
public enum OutputContainer
{
    Mp4,
    WebM,
    Matroska,
    MpegTs,
}
