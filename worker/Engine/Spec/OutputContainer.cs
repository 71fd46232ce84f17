namespace Sandbox.Worker.Engine;

/// <summary>The output containers the engine writes.</summary>
public enum OutputContainer
{
    Mp4,
    WebM,
    Matroska,
    MpegTs,

    /// <summary>HLS (VOD): a playlist and one MPEG-TS segment per chunk; always produced from checkpoints.</summary>
    Hls,
}
