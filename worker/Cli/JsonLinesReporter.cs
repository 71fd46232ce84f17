using System.Text.Json;
using Sandbox.Worker.Engine;

namespace Sandbox.Worker.Cli;

/// <summary>One JSON object per line on stdout, for programs (tests today, the supervisor later).</summary>
internal sealed class JsonLinesReporter(Stream output) : IReporter
{
    // Relaxed escaping keeps quotes and non-ASCII paths readable; the output is never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _gate = new();

    public void Report(TranscodeProgress value) => Write(json =>
    {
        json.WriteString("type", "progress");
        WriteProgress(json, value);
    });

    public void Completed(TranscodeResult result) => Write(json =>
    {
        json.WriteString("type", "completed");
        json.WriteString("output", result.OutputPath);
        json.WriteString("inputFormat", result.InputFormat);
        WriteProgress(json, result.Progress);
        json.WriteNumber("skippedPackets", result.SkippedPackets);
        json.WriteStartArray("streams");
        foreach (var stream in result.Streams)
        {
            json.WriteStringValue(stream);
        }

        json.WriteEndArray();
        if (result.Segments.Count > 0)
        {
            json.WriteStartArray("segments");
            foreach (var segment in result.Segments)
            {
                json.WriteStringValue(segment);
            }

            json.WriteEndArray();
        }

    });

    public void Decoded(DecodeResult result) => Write(json =>
    {
        json.WriteString("type", "decoded");
        json.WriteString("inputFormat", result.InputFormat);
        json.WriteNumber("videoFrames", result.VideoFrames);
        json.WriteNumber("audioSamples", result.AudioSamples);
        json.WriteNumber("elapsed", Math.Round(result.Elapsed.TotalSeconds, 3));
        json.WriteNumber("fps", Math.Round(result.FramesPerSecond, 2));
        json.WriteNumber("speed", Math.Round(result.Speed, 3));
    });

    public void Failed(TranscodeException error) => Write(json =>
    {
        json.WriteString("type", "error");
        json.WriteString("reason", error.Reason.ToString());
        json.WriteString("message", error.Message);
        json.WriteStartArray("violations");
        foreach (var violation in error.Violations)
        {
            json.WriteStartObject();
            json.WriteString("field", violation.Field);
            json.WriteString("description", violation.Description);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    private static void WriteProgress(Utf8JsonWriter json, TranscodeProgress progress)
    {
        json.WriteNumber("frames", progress.Frames);
        json.WriteNumber("outputTime", Math.Round(progress.OutputTime.TotalSeconds, 6));
        if (progress.Percent is { } percent)
        {
            json.WriteNumber("percent", Math.Round(percent, 2));
        }

        json.WriteNumber("fps", Math.Round(progress.FramesPerSecond, 2));
        json.WriteNumber("speed", Math.Round(progress.Speed, 3));
        json.WriteNumber("elapsed", Math.Round(progress.Elapsed.TotalSeconds, 3));
        if (progress.Checkpoints is { } checkpoints)
        {
            json.WriteNumber("chunks", checkpoints.Chunks);
            json.WriteNumber("durableTime", Math.Round(checkpoints.DurableTime.TotalSeconds, 6));
            if (checkpoints.ResumedFrom is { } resumed)
            {
                json.WriteNumber("resumedFrom", Math.Round(resumed.TotalSeconds, 6));
            }

            if (checkpoints.StartToFirstFrame is { } firstFrame)
            {
                json.WriteNumber("startToFirstFrame", Math.Round(firstFrame.TotalSeconds, 6));
            }

            if (checkpoints.Repaired is { } repaired)
            {
                json.WriteString("repaired", repaired);
            }
        }
    }

    private void Write(Action<Utf8JsonWriter> body)
    {
        lock (_gate)
        {
            using (var json = new Utf8JsonWriter(output))
            {
                json.WriteStartObject();
                body(json);
                json.WriteEndObject();
            }

            output.WriteByte((byte)'\n');
            output.Flush();
        }
    }
}
