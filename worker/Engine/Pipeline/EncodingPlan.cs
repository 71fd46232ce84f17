using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>The opened decoder, filter chain and encoder of one stream, ready to be wired to the output.</summary>
internal sealed record EncodingPlan(Decoder Decoder, FilterGraph Graph, Encoder Encoder, string Description);
