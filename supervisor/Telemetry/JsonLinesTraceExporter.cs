using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OpenTelemetry;

namespace Sandbox.Supervisor.Telemetry;

/// <summary>
/// Writes each ended span as one JSON object per line to a file (<c>Sandbox:TraceFile</c>): traces
/// without a collector, for a look with jq or a log shipper. Spans are appended as they end.
/// </summary>
internal sealed class JsonLinesTraceExporter(string path) : BaseExporter<Activity>
{
    private readonly Lock _gate = new();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            foreach (var activity in batch)
            {
                Write(json, activity);
                json.Flush();
                buffer.WriteByte((byte)'\n');
                json.Reset();
            }
        }

        try
        {
            lock (_gate)
            {
                using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                buffer.WriteTo(file);
            }

            return ExportResult.Success;
        }
        catch (IOException)
        {
            return ExportResult.Failure;
        }
    }

    private static void Write(Utf8JsonWriter json, Activity activity)
    {
        json.WriteStartObject();
        json.WriteString("traceId", activity.TraceId.ToHexString());
        json.WriteString("spanId", activity.SpanId.ToHexString());
        json.WriteString("parentSpanId", activity.ParentSpanId == default ? "" : activity.ParentSpanId.ToHexString());
        json.WriteString("name", activity.DisplayName);
        json.WriteString("kind", activity.Kind.ToString().ToLowerInvariant());
        json.WriteString("source", activity.Source.Name);
        json.WriteString("start", activity.StartTimeUtc.ToString("O", CultureInfo.InvariantCulture));
        json.WriteNumber("durationSeconds", activity.Duration.TotalSeconds);
        json.WriteString("status", activity.Status.ToString().ToLowerInvariant());
        json.WriteStartObject("attributes");
        foreach (var (key, value) in activity.TagObjects)
        {
            json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
        }

        json.WriteEndObject();
        json.WriteStartArray("events");
        foreach (var e in activity.Events)
        {
            json.WriteStartObject();
            json.WriteString("name", e.Name);
            json.WriteString("time", e.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
