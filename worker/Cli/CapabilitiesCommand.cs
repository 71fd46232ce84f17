using System.Text.Json;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Cli;

/// <summary>
/// <c>capabilities</c>: the FFmpeg versions found and which of the engine's encoders, decoders and
/// hardware device types this build has, so a health check can say "libx264 unavailable".
/// </summary>
internal static class CapabilitiesCommand
{
    public static int Run(bool json, TextWriter output)
    {
        var versions = FFmpegVersionGuard.EnsureSupported();
        var engineEncoders = Enum.GetValues<VideoCodec>().Where(c => c != VideoCodec.Copy).Select(CodecNames.Encoder)
            .Concat(Enum.GetValues<AudioCodec>().Where(c => c != AudioCodec.Copy).Select(CodecNames.Encoder))
            .Concat(CodecNames.HardwareEncoders)
            .ToList();
        var encoders = engineEncoders.ToDictionary(name => name, name => CodecCatalog.FindEncoder(name) is not null);
        var decoders = CodecCatalog.All.Where(c => c.IsDecoder).Select(c => c.Name).Order().ToList();
        var hardware = CodecCatalog.HardwareDeviceTypes();
        if (json)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("libraries");
                foreach (var version in versions)
                {
                    writer.WriteString(version.Library, $"{version.Major}.{version.Minor}.{version.Micro}");
                }

                writer.WriteEndObject();
                writer.WriteStartObject("encoders");
                foreach (var (name, present) in encoders)
                {
                    writer.WriteBoolean(name, present);
                }

                writer.WriteEndObject();
                writer.WriteNumber("decoderCount", decoders.Count);
                WriteArray(writer, "hardwareDeviceTypes", hardware);
                WriteArray(writer, "allowedInputFormats", InputPolicy.DefaultFormats);
                writer.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return 0;
        }

        output.WriteLine("libraries: " + string.Join(", ", versions));
        foreach (var (name, present) in encoders)
        {
            output.WriteLine($"encoder {name}: {(present ? "available" : "unavailable")}");
        }

        output.WriteLine($"decoders: {decoders.Count}");
        output.WriteLine("hardware device types: " + (hardware.Count == 0 ? "none" : string.Join(", ", hardware)));
        output.WriteLine("allowed input formats: " + string.Join(", ", InputPolicy.DefaultFormats));
        return 0;
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
