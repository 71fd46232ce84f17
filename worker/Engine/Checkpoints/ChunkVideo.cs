using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>How one chunk encodes its video: the encoder settings (adjusted), which frames it keeps, and the scaling in front of the encoder.</summary>
/// <param name="Settings">The chunk's encoder settings.</param>
/// <param name="FrameStep">Keep the frames whose number (pts) is a multiple of this (1 = all).</param>
/// <param name="Scale">The scaling chain in front of the encoder, or null when the size stays.</param>
/// <param name="Adjustment">The adjustment the chunk is encoded under.</param>
internal sealed record ChunkVideo(EncoderSettings Settings, int FrameStep, ChunkScale? Scale, VideoAdjustment Adjustment);

/// <summary>A scaling chain for frames of the given size, format and timing.</summary>
internal sealed record ChunkScale(int Width, int Height, int PixelFormat, Rational TimeBase, Rational FrameRate, IReadOnlyList<FilterSpec> Chain);
