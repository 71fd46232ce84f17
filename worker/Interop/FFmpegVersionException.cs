namespace Sandbox.Worker.Interop;

/// <summary>The FFmpeg libraries found are missing or of a major version this layer was not built for.</summary>
public sealed class FFmpegVersionException(string message) : Exception(message);
