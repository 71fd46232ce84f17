using System.Text.Json;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Api;

/// <summary><c>Sandbox:LogFormat=json</c>: every line the supervisor logs is one JSON object a log shipper can index.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class LoggingTests(TestClips clips)
{
    [Fact]
    public async Task Json_logs_are_one_object_per_line_with_level_category_and_fields()
    {
        var settings = new SupervisorSettings(Environment: new Dictionary<string, string> { ["Sandbox__LogFormat"] = "json" });
        await using var supervisor = await SupervisorProcess.StartAsync(settings);
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, Specs.Mp4(supervisor.AddInput(clips.Short), supervisor.Output("json-logs.mp4")));
        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id);
        Assert.Equal(SessionState.Completed, events[^1].StateChanged?.State);

        var lines = supervisor.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }).ToList();
        Assert.All(entries, e =>
        {
            Assert.True(e.TryGetProperty("Timestamp", out _), e.ToString());
            Assert.True(e.TryGetProperty("LogLevel", out _), e.ToString());
            Assert.True(e.TryGetProperty("Category", out _), e.ToString());
        });

        // The message template's fields come as properties: here the worker that ran the session.
        var ready = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.Contains($"session {submitted.Id}", StringComparison.Ordinal)
            && e.GetProperty("Message").GetString()!.Contains("ready", StringComparison.Ordinal));
        Assert.StartsWith("w-", ready.GetProperty("State").GetProperty("Worker").GetString(), StringComparison.Ordinal);
    }
}
