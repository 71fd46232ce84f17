using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// The memory governor on a real leak: a worker leaking native memory (the Chaos API's slow leak)
/// is walked down the ladder — frame rate, resolution, encoder — each step a Downgraded event with
/// its numbers, and evicted before its cgroup's OOM kill: requeued to resume from its checkpoint,
/// or failed with OOM_KILLED when its spec says so. The policy's timings are shortened (a 2 s settle
/// time, a faster-moving window, the line at 0.15 pressure: a quarter of the limit) so that it happens within seconds.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class MemoryGovernorTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _profiles = new();
    private readonly TempDirectory _clips = new();
    private SupervisorProcess _supervisor = null!;
    private string _clip = "";

    public async Task InitializeAsync()
    {
        _clip = _clips.File("four-minutes.mp4");
        await Ffmpeg.RunAsync(
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=240", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=240",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", _clip);
        var settings = await ShippedProfiles.WithExtraAsync(_profiles, "governed", """
            { "extends": "default", "description": "1 GiB for a small encode and a slow leak", "limits": { "memoryMax": "1GiB", "memoryHigh": "1GiB" } }
            """);
        var environment = new Dictionary<string, string>(settings.Environment!)
        {
            ["Sandbox__Memory__Ladder__SettleTime"] = "00:00:02",
            ["Sandbox__Memory__Ladder__DowngradeAt"] = "0.15",
            ["Sandbox__Memory__Ladder__RecoverBelow"] = "0.01",
            ["Sandbox__Memory__PressureIndex__Decay"] = "0.5",
            ["Sandbox__Memory__EvictionRequeueDelay"] = "00:00:02",

            // The worker keeps the profile's 1 GiB (admission control would give a 320x240 encode 384 MiB): room for the leak to be walked down the ladder.
            ["Sandbox__Memory__Estimate__MinimumLimitBytes"] = $"{1L << 30}",
        };
        _supervisor = await SupervisorProcess.StartAsync(settings with { Environment = environment, EnableFaultInjection = true });
    }

    public async Task DisposeAsync() => await _supervisor.DisposeAsync();

    public void Dispose()
    {
        _profiles.Dispose();
        _clips.Dispose();
    }

    [Fact]
    public async Task A_leaking_session_is_downgraded_rung_by_rung_then_evicted_and_resumed()
    {
        // Under emulation (the cgroup v2 VM) the proof ends at the resumed worker's first progress: the
        // kernel's part (memory.high, PSI, memory.events, the eviction) is done by then, and the rest of
        // the four-minute transcode would take many minutes there. The host runs it to the end.
        var toTheEnd = TestTime.Scale == 1;
        var (id, output, events) = await LeakAsync("governed-requeue", failOnEviction: false, untilResumed: !toTheEnd);
        var trace = $"{SessionStreams.Describe(events)}\n{_supervisor.Log}";
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed || (!toTheEnd && events[^1].Progress is not null), trace);

        var steps = events.Where(e => e.Downgraded is not null).Select(e => e.Downgraded.Reason).ToList();
        Assert.True(steps.Count >= 3, trace);
        Assert.StartsWith("memory governor: full → frame_rate", steps[0], StringComparison.Ordinal);
        Assert.StartsWith("memory governor: frame_rate → resolution", steps[1], StringComparison.Ordinal);
        Assert.StartsWith("memory governor: resolution → encoder", steps[2], StringComparison.Ordinal);
        Assert.All(steps.Take(3), s => Assert.Contains("MiB", s, StringComparison.Ordinal));

        // Evicted before the kernel's OOM kill, then back in the queue, resumed from its checkpoint in a fresh worker.
        var evicted = events.FindIndex(e => e.StateChanged is { State: SessionState.Queued } q && q.Detail.Contains("evicted by the memory governor", StringComparison.Ordinal));
        Assert.True(evicted > 0, trace);
        Assert.DoesNotContain(events, e => e.WorkerRestarted?.Death == "oom_kill");
        var final = await SessionStreams.GetAsync(_supervisor.Sessions, id);
        Assert.Equal(2, final.Attempts);

        // It resumed from at least what its last progress before the eviction called durable (on a slow
        // machine, like the emulated VM, that may be nothing yet; the evicted worker may have made more durable while it stopped).
        var durable = events.Take(evicted).LastOrDefault(e => e.Progress is not null)?.Progress.Checkpoints?.DurableTime?.ToTimeSpan() ?? TimeSpan.Zero;
        var resumed = final.Progress.Checkpoints.ResumedFrom?.ToTimeSpan() ?? TimeSpan.Zero;
        Assert.True(resumed >= durable && (durable == TimeSpan.Zero || resumed > TimeSpan.Zero), $"resumed from {resumed}, {durable} was durable\n{trace}");
        if (toTheEnd)
        {
            Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(output));
        }
        else
        {
            await _supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = id });
            await SessionStreams.WatchToEndAsync(_supervisor.Sessions, id);
        }
    }

    [Fact]
    public async Task A_session_that_may_not_be_requeued_fails_as_oom_killed_when_evicted()
    {
        var (_, output, events) = await LeakAsync("governed-fail", failOnEviction: true);
        var end = events[^1].StateChanged;
        Assert.True(end is { State: SessionState.Failed, Failure.Reason: ErrorReason.OomKilled }, $"{SessionStreams.Describe(events)}\n{_supervisor.Log}");
        Assert.StartsWith("evicted by the memory governor: memory governor: encoder → evicted", end.Failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    /// <summary>Runs a VP9 session of the four-minute clip (long enough that the cheaper rungs do not finish it before the eviction) whose worker leaks 40 MiB/s from its first progress on, to its end.</summary>
    /// <param name="untilResumed">Stop watching at the first progress of the worker that resumed it after its eviction, instead of at its end.</param>
    private async Task<(string Id, string Output, List<SessionEvent> Events)> LeakAsync(string name, bool failOnEviction, bool untilResumed = false)
    {
        var output = Path.Combine(_supervisor.OutputDirectory(name), "out.webm");
        var spec = Specs.SlowWebm(_supervisor.AddInput(_clip), output);
        spec.Profile = "governed";
        spec.FailOnEviction = failOnEviction;
        spec.Checkpoints = new CheckpointSettings { ChunkLength = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) };
        var submitted = await SessionStreams.SubmitAsync(_supervisor.Sessions, spec);
        await MemoryLeaks.StartAsync(_supervisor, submitted.Id, mibPerSecond: 40);
        var (requeued, rerunning) = (false, false);
        var events = untilResumed
            ? await SessionStreams.WatchUntilAsync(_supervisor.Sessions, submitted.Id, e =>
            {
                requeued |= e.StateChanged is { State: SessionState.Queued } q && q.Detail.Contains("evicted", StringComparison.Ordinal);
                rerunning |= requeued && e.StateChanged?.State == SessionState.Running;
                return rerunning && e.Progress is not null;
            })
            : await SessionStreams.WatchToEndAsync(_supervisor.Sessions, submitted.Id);
        return (submitted.Id, output, events);
    }
}
