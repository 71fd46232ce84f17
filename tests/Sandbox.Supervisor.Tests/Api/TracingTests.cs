using System.Text.Json;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Api;

/// <summary>
/// A traced session (<c>Sandbox:TraceFile</c>): one trace holds the supervisor's spans and the
/// sandboxed worker's, which crossed the worker's gRPC calls as a traceparent and came back with the results.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class TracingTests(TestClips clips)
{
    [Fact]
    public async Task A_session_is_one_trace_of_supervisor_and_worker_spans()
    {
        using var directory = new TempDirectory();
        var traces = directory.File("traces.jsonl");
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(Environment: new Dictionary<string, string> { ["Sandbox__TraceFile"] = traces }));
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, Specs.Mp4(supervisor.AddInput(clips.Short), supervisor.Output("traced.mp4")));
        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id);
        Assert.Equal(SessionState.Completed, events[^1].StateChanged?.State);

        // The session's span ends just after its last event.
        Span? root = null;
        await Poll.UntilAsync(
            () => Task.FromResult((root = Read(traces).SingleOrDefault(s => s.Name == "sandbox.session" && s.Attributes.GetValueOrDefault("session.id") == submitted.Id)) is not null),
            TimeSpan.FromSeconds(10),
            () => $"no sandbox.session span for {submitted.Id} in {traces}");
        var trace = Read(traces).Where(s => s.TraceId == root!.TraceId).ToList();
        var byName = trace.ToDictionary(s => s.Name);
        var description = string.Join("\n", trace.Select(s => $"{s.Name} {s.SpanId} ← {s.ParentSpanId}"));

        Assert.Equal("", root!.ParentSpanId);
        Assert.Equal("COMPLETED", root.Attributes["session.state"]);
        AssertChild(byName, "sandbox.attempt", "sandbox.session", description);
        AssertChild(byName, "sandbox.admission", "sandbox.attempt", description);
        AssertChild(byName, "worker.probe", "sandbox.admission", description);
        AssertChild(byName, "worker.lockdown", "worker.probe", description);
        AssertChild(byName, "worker.transcode", "sandbox.attempt", description);
        AssertChild(byName, "worker.open_input", "worker.transcode", description);
        AssertChild(byName, "worker.encode", "worker.transcode", description);
        AssertChild(byName, "worker.assemble", "worker.transcode", description);

        // The worker's spans were recorded in the worker process, not made up by the supervisor.
        var workerPid = byName["sandbox.attempt"].Attributes["worker.pid"];
        Assert.All(trace.Where(s => s.Name.StartsWith("worker.", StringComparison.Ordinal)), s =>
        {
            Assert.Equal(("worker", workerPid), (s.Attributes["sandbox.process"], s.Attributes["worker.pid"]));
            Assert.Equal("Sandbox.Supervisor", s.Source);
        });
        Assert.NotEqual(supervisor.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), byName["worker.transcode"].Attributes["process.pid"]);
        Assert.Equal("completed", byName["worker.transcode"].Attributes["result"]);
        Assert.Equal("completed", byName["sandbox.attempt"].Attributes["attempt.outcome"]);
        Assert.Contains("chunk durable", byName["worker.encode"].Events);
        Assert.True(byName["worker.encode"].DurationSeconds > 0, description);
    }

    private static void AssertChild(Dictionary<string, Span> spans, string child, string parent, string description)
    {
        Assert.True(spans.ContainsKey(child) && spans.ContainsKey(parent), $"{child} or {parent} is missing:\n{description}");
        Assert.True(spans[child].ParentSpanId == spans[parent].SpanId, $"{child} is not a child of {parent}:\n{description}");
        Assert.True(spans[child].Start >= spans[parent].Start.AddMilliseconds(-1), $"{child} starts before {parent}:\n{description}");
    }

    private static List<Span> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var spans = new List<Span>();
        while (reader.ReadLine() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            var e = json.RootElement;
            spans.Add(new Span(
                e.GetProperty("traceId").GetString()!,
                e.GetProperty("spanId").GetString()!,
                e.GetProperty("parentSpanId").GetString()!,
                e.GetProperty("name").GetString()!,
                e.GetProperty("source").GetString()!,
                DateTimeOffset.Parse(e.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                e.GetProperty("durationSeconds").GetDouble(),
                e.GetProperty("attributes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                [.. e.GetProperty("events").EnumerateArray().Select(v => v.GetProperty("name").GetString()!)]));
        }

        return spans;
    }

    private sealed record Span(
        string TraceId, string SpanId, string ParentSpanId, string Name, string Source, DateTimeOffset Start, double DurationSeconds,
        Dictionary<string, string> Attributes, IReadOnlyList<string> Events);
}
