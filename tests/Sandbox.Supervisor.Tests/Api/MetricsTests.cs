using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Api;

/// <summary>
/// The Prometheus endpoint (<c>--metrics-port</c>), scraped over HTTP/1.1 as Prometheus does while
/// a real session runs, crashes and is resumed: every family is there, and the values follow what happened.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed partial class MetricsTests(TestClips clips)
{
    private static readonly string[] Families =
    [
        "sandbox_sessions", "sandbox_sessions_queued", "sandbox_workers", "sandbox_worker_deaths_total", "sandbox_worker_restarts_total",
        "sandbox_memory_ladder_steps_total", "sandbox_admission_refusals_total", "sandbox_worker_memory_usage_bytes",
        "sandbox_worker_memory_limit_bytes", "sandbox_worker_cpu_time_seconds_total", "sandbox_memory_budget_bytes", "sandbox_memory_used_bytes",
        "sandbox_memory_reserved_bytes", "sandbox_session_submit_to_running_seconds", "sandbox_session_crash_to_running_seconds",
    ];

    [Fact]
    public async Task A_scrape_shows_sessions_workers_deaths_and_latencies()
    {
        var port = FreePort();
        var settings = new SupervisorSettings(EnableFaultInjection: true, Environment: new Dictionary<string, string> { ["Sandbox__MetricsPort"] = port.ToString(CultureInfo.InvariantCulture) });
        await using var supervisor = await SupervisorProcess.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using var session = await SlowSession.StartAsync(supervisor, clips, "metrics");
        await new Chaos.ChaosClient(supervisor.Channel).InjectFaultAsync(new InjectFaultRequest { SessionId = session.Id, Kind = FaultKind.FaultSegfault });
        var restart = (await SessionStreams.WatchUntilAsync(supervisor.Sessions, session.Id, e => e.WorkerRestarted is not null))[^1];
        await SessionStreams.WatchUntilAsync(supervisor.Sessions, session.Id, e => e.Progress is not null, fromSequence: restart.Sequence + 1);

        using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var scrape = Parse(await response.Content.ReadAsStringAsync());

        var families = scrape.Select(s => s.Family).ToHashSet(StringComparer.Ordinal);
        Assert.All(Families, family => Assert.Contains(family, families));

        Assert.Equal(1, Value(scrape, "sandbox_sessions", "state=\"running\""));
        Assert.Equal(0, Value(scrape, "sandbox_sessions", "state=\"failed\""));
        Assert.Equal(1, Value(scrape, "sandbox_worker_deaths_total", "class=\"native_crash\""));
        Assert.Equal(0, Value(scrape, "sandbox_worker_deaths_total", "class=\"oom_kill\""));
        Assert.Equal(1, Value(scrape, "sandbox_worker_restarts_total"));
        Assert.Equal(1, Value(scrape, "sandbox_session_submit_to_running_seconds_count"));
        Assert.Equal(1, Value(scrape, "sandbox_session_crash_to_running_seconds_count"));
        Assert.InRange(Value(scrape, "sandbox_session_crash_to_running_seconds_sum"), 0.001, 60);
        Assert.Equal(0, Value(scrape, "sandbox_memory_ladder_steps_total", "from=\"full\",to=\"frame_rate\""));

        // The session's fresh worker, by its labels: memory charged, under its limit, CPU used.
        var sessionLabel = $"session=\"{session.Id}\"";
        var usage = Value(scrape, "sandbox_worker_memory_usage_bytes", sessionLabel);
        Assert.InRange(usage, 1 << 20, Value(scrape, "sandbox_worker_memory_limit_bytes", sessionLabel));
        Assert.True(Value(scrape, "sandbox_worker_cpu_time_seconds_total", sessionLabel) > 0, "no CPU time for the session's worker");
        Assert.Contains("service_name=\"sandbox-supervisor\"", scrape.Single(s => s.Family == "target_info").Labels, StringComparison.Ordinal);

        await supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = session.Id });
        await SessionStreams.WatchToEndAsync(supervisor.Sessions, session.Id);
    }

    private static double Value(IReadOnlyList<Sample> scrape, string name, string labels = "")
    {
        var matching = scrape.Where(s => s.Name == name && s.Labels.Contains(labels, StringComparison.Ordinal)).ToList();
        Assert.True(matching.Count == 1, $"{matching.Count} samples of {name}{{{labels}}}: {string.Join("; ", scrape.Where(s => s.Name == name).Select(s => s.Labels))}");
        return matching[0].Value;
    }

    /// <summary>The text exposition format: <c>name{labels} value</c> per line; <c>#</c> lines are metadata.</summary>
    private static List<Sample> Parse(string text) =>
        [.. text.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => SampleLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new Sample(
                match.Groups["name"].Value,
                match.Groups["labels"].Value,
                double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)))];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)")]
    private static partial Regex SampleLine();

    private sealed record Sample(string Name, string Labels, double Value)
    {
        /// <summary>The metric family: a histogram's _bucket, _sum and _count samples belong to its base name.</summary>
        public string Family => Regex.Replace(Name, "_(bucket|sum|count)$", "");
    }
}
