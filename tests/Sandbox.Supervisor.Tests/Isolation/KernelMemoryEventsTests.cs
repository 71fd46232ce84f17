using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>
/// The kernel's memory notifications wake the governor between its periodic samples: a worker
/// leaking 100 MiB/s is first stepped down because the kernel said so — on v2 because memory.events
/// changed when it crossed its 300 MiB memory.high (or its PSI trigger fired as it was throttled there), on v1 because its usage crossed the threshold
/// registered at the downgrade line (83% of its 512 MiB limit) — not because its smoothed pressure
/// index caught up. The same test runs on the v1 host and in the cgroup v2 VM.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class KernelMemoryEventsTests(TestClips clips) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _profiles = new();
    private SupervisorProcess _supervisor = null!;

    public async Task InitializeAsync()
    {
        var settings = await ShippedProfiles.WithExtraAsync(_profiles, "watched", """
            { "extends": "default", "description": "512 MiB, throttled from 300 MiB", "limits": { "memoryMax": "512MiB", "memoryHigh": "300MiB" } }
            """);
        var environment = new Dictionary<string, string>(settings.Environment!)
        {
            // The worker keeps the profile's limits (admission would give a 320x240 encode 384 MiB).
            ["Sandbox__Memory__Estimate__MinimumLimitBytes"] = $"{512L << 20}",

            // Periodic samples too rare to win the race: the leak crosses the line between two of them, so the kernel must speak first.
            ["Sandbox__Memory__SampleInterval"] = "00:00:10",
        };
        _supervisor = await SupervisorProcess.StartAsync(settings with { Environment = environment, EnableFaultInjection = true });
    }

    public async Task DisposeAsync() => await _supervisor.DisposeAsync();

    public void Dispose() => _profiles.Dispose();

    [CgroupFact]
    public async Task A_kernel_notification_steps_a_leaking_session_down_before_its_pressure_index_would()
    {
        var spec = Specs.SlowWebm(_supervisor.AddInput(clips.Long), _supervisor.Output("watched.webm"));
        spec.Profile = "watched";
        var submitted = await SessionStreams.SubmitAsync(_supervisor.Sessions, spec);
        await MemoryLeaks.StartAsync(_supervisor, submitted.Id, mibPerSecond: 100);

        var events = await SessionStreams.WatchUntilAsync(_supervisor.Sessions, submitted.Id, e => e.Downgraded is not null || e.StateChanged?.State is SessionState.Failed or SessionState.Completed);
        var trace = $"{SessionStreams.Describe(events)}\n{_supervisor.Log}";
        var step = events[^1].Downgraded;
        Assert.True(step is not null, trace);
        // On v2 the throttling above memory.high may stall the worker too, and the PSI trigger may speak first.
        string[] kernel = HostCgroups.Driver == "v2" ? ["memory.events changed (memory.high or memory.max reached)", "the kernel's PSI trigger fired"] : ["(the kernel's usage threshold)"];
        Assert.True(step.Reason.StartsWith("memory governor: full → frame_rate: ", StringComparison.Ordinal) && kernel.Any(k => step.Reason.Contains(k, StringComparison.Ordinal)), trace);
        Assert.True((await _supervisor.Operator.GetStatusAsync(new GetStatusRequest())).MemoryNotifications > 0);

        await _supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = submitted.Id });
        await SessionStreams.WatchToEndAsync(_supervisor.Sessions, submitted.Id);
    }
}
