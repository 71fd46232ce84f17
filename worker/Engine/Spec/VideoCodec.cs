namespace Sandbox.Worker.Engine;

/// <summary>Output video codecs; <see cref="Copy"/> passes the input's compressed stream through.</summary>
public enum VideoCodec
{
    H264,
    Hevc,
    Vp9,
    Av1,
    Copy,
}
