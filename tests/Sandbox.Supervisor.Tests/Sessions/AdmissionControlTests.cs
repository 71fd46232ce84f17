using Google.Rpc;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// Admission control on a real 20 s 1080p input (estimated at ~557 MiB at its spec's settings, ~240 MiB
/// scaled to 540p, ~150 MiB with the cheap encoder as well), each test with its own supervisor and a
/// memory budget chosen to make it start lower, wait, or be refused — never OOM-killed.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class AdmissionControlTests : IAsyncLifetime, IDisposable
{
    private const long MiB = 1 << 20;
    private readonly TempDirectory _clips = new();
    private string _clip = "";

    public async Task InitializeAsync()
    {
        _clip = _clips.File("hd.mp4");
        await Ffmpeg.RunAsync("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30:duration=20", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", _clip);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _clips.Dispose();

    private static Task<SupervisorProcess> StartAsync(long budget, int maxConcurrent = 1, int warmWorkers = 0) =>
        SupervisorProcess.StartAsync(new SupervisorSettings(
            MaxConcurrent: maxConcurrent,
            WarmWorkers: warmWorkers,
            Environment: new Dictionary<string, string>
            {
                ["Sandbox__Memory__Budget"] = $"{budget}",
                ["Sandbox__Memory__Admission__RetryInterval"] = "00:00:01",
            }));

    private SessionSpec Spec(SupervisorProcess supervisor, string name)
    {
        var spec = Specs.Mp4(supervisor.AddInput(_clip, $"{name}.mp4"), supervisor.Output($"{name}-out.mp4"));
        spec.Audio = new AudioSettings { Drop = true };

        // x264's default preset: several seconds of work per session, long enough to be seen running.
        spec.Video.Preset = "medium";
        return spec;
    }

    [CgroupFact]
    public async Task A_session_the_budget_cannot_hold_at_its_specs_settings_starts_on_a_lower_rung_with_limits_from_its_estimate()
    {
        await using var supervisor = await StartAsync(budget: 400 * MiB);
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, Spec(supervisor, "lower"));
        var running = await SessionStreams.WaitForProgressAsync(supervisor.Sessions, submitted.Id);

        // It reserves its estimate on that rung (~240 MiB), and its worker's memory.max is twice that (to the kernel's page), not the profile's 2 GiB.
        var reserved = (await supervisor.Operator.GetStatusAsync(new GetStatusRequest())).MemoryReservedBytes;
        Assert.InRange(reserved, 200 * MiB, 300 * MiB);
        var worker = Assert.Single((await supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers);
        Assert.InRange(worker.Usage.MemoryMaxBytes, 2 * reserved - Environment.SystemPageSize, 2 * reserved);

        // A Downgraded event before any progress, with the numbers; the output is 540p (and half the
        // rate: each rung includes the ones before). Should the estimate fall short (memory.high is
        // 1.5× it), the governor may step further down — to the encoder rung, still 540p.
        var step = running.First(e => e.Downgraded is not null).Downgraded;
        Assert.StartsWith("admission control started it on the resolution rung: estimated 557 MiB at the spec's settings, more than the", step.Reason, StringComparison.Ordinal);
        Assert.True(running.FindIndex(e => e.Downgraded is not null) < running.FindIndex(e => e.Progress is not null), SessionStreams.Describe(running));
        Assert.StartsWith("fps ≤ 15000/1000, height ≤ 540", (await SessionStreams.GetAsync(supervisor.Sessions, submitted.Id)).Adjustment, StringComparison.Ordinal);
        if (TestTime.Scale > 1)
        {
            // Under emulation (the cgroup v2 VM) the kernel's part ends here: the 1080p encode would take minutes. The host runs it to the end.
            await supervisor.Sessions.CancelAsync(new CancelRequest { SessionId = submitted.Id });
            await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id);
            return;
        }

        var events = running.Concat(await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id, running[^1].Sequence + 1)).ToList();
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, $"{SessionStreams.Describe(events)}\n{supervisor.Log}");
        var output = supervisor.Output("lower-out.mp4");
        Assert.All(await PacketTimeline.FrameSizesAsync(output), size => Assert.Equal((960, 540), size));
        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(output));
        Assert.Equal(0, (await supervisor.Operator.GetStatusAsync(new GetStatusRequest())).MemoryReservedBytes);
    }

    [CgroupFact]
    public async Task A_burst_larger_than_the_budget_waits_for_memory_and_every_session_completes_none_oom_killed()
    {
        // 300 MiB holds one session on the resolution rung (~240 MiB); the next does not fit even on its cheapest (~150 MiB) until the first ends.
        await using var supervisor = await StartAsync(budget: 300 * MiB, maxConcurrent: 2);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await SessionStreams.SubmitAsync(supervisor.Sessions, Spec(supervisor, $"burst-{i}"))).Id);
        }

        var all = new List<SessionEvent>();
        foreach (var id in ids)
        {
            var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, id);
            Assert.True(events[^1].StateChanged?.State == SessionState.Completed, $"{SessionStreams.Describe(events)}\n{supervisor.Log}");
            Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(supervisor.Output($"burst-{ids.IndexOf(id)}-out.mp4")));
            all.AddRange(events);
        }

        Assert.Contains(all, e => e.StateChanged is { State: SessionState.Queued } q && q.Detail.StartsWith("admission control: estimated", StringComparison.Ordinal) && q.Detail.Contains("waits for running sessions to end", StringComparison.Ordinal));
        Assert.DoesNotContain(all, e => e.WorkerRestarted is not null);
        var status = await supervisor.Operator.GetStatusAsync(new GetStatusRequest());
        Assert.False(status.WorkerDeaths.ContainsKey("oom_kill"), status.ToString());
    }

    [CgroupFact]
    public async Task A_session_whose_cheapest_rung_exceeds_the_whole_budget_is_refused_as_capacity_exhausted()
    {
        await using var supervisor = await StartAsync(budget: 120 * MiB);

        var (session, events) = await SessionStreams.RunAsync(supervisor.Sessions, Spec(supervisor, "refused"));

        Assert.True(session.State == SessionState.Failed && session.Failure.Reason == ErrorReason.CapacityExhausted, SessionStreams.Describe(events));
        Assert.Contains("more than the whole 120 MiB memory budget", session.Failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(supervisor.Output("refused-out.mp4")));
    }

    [CgroupFact]
    public async Task Submit_is_refused_with_a_retry_hint_while_the_workers_hold_the_whole_budget()
    {
        // An idle warm worker alone holds more than a 16 MiB budget.
        await using var supervisor = await StartAsync(budget: 16 * MiB, warmWorkers: 1);
        await Poll.UntilAsync(
            async () => (await supervisor.Operator.GetStatusAsync(new GetStatusRequest())).MemoryUsedBytes > 16 * MiB,
            SupervisorProcess.ReadyTimeout,
            () => "the warm worker never held 16 MiB");

        var error = await RpcAssert.FailsAsync(
            StatusCode.ResourceExhausted, ErrorReason.CapacityExhausted, () => SessionStreams.SubmitAsync(supervisor.Sessions, Spec(supervisor, "full")));

        Assert.Contains("of the 16 MiB memory budget", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), error.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
    }
}
