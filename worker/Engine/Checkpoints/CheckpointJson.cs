using System.Text.Json.Serialization;

namespace Sandbox.Worker.Engine;

/// <summary>Source-generated JSON for the manifest (the worker is also published with Native AOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(CheckpointManifest))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
