namespace Sandbox.Worker.Engine;

/// <summary>Output audio codecs; <see cref="Copy"/> passes the input's compressed stream through.</summary>
public enum AudioCodec
{
    Aac,
    Opus,
    Copy,
}
