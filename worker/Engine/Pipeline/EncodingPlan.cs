using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// The opened decoder, filter chain and encoder of one stream, ready to be wired to the output, and
/// the settings the encoder was opened with (a chunked transcode opens its own encoders from them).
/// </summary>
internal sealed record EncodingPlan(Decoder Decoder, FilterGraph Graph, Encoder Encoder, EncoderSettings Settings, string Description);
