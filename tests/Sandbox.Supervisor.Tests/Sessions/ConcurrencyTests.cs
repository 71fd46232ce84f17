using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>Many sessions at once, each in its own worker: all complete and none spoils another's output.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class ConcurrencyTests(TestClips clips)
{
    private const int SessionCount = 8;

    [Fact]
    public async Task Eight_concurrent_sessions_all_complete_with_valid_outputs()
    {
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(MaxConcurrent: SessionCount));
        var status = await supervisor.Operator.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(SessionCount, status.MaxConcurrentSessions);

        var input = supervisor.AddInput(clips.Short);
        var outputs = Enumerable.Range(0, SessionCount).Select(i => supervisor.Output($"concurrent-{i}.mp4")).ToList();
        var submitted = await Task.WhenAll(outputs.Select(o => SessionStreams.SubmitAsync(supervisor.Sessions, Specs.Mp4(input, o))));
        Assert.Equal(SessionCount, submitted.Select(s => s.Id).Distinct().Count());

        var watched = await Task.WhenAll(submitted.Select(s => SessionStreams.WatchToEndAsync(supervisor.Sessions, s.Id)));
        Assert.All(watched, events => Assert.Equal(SessionState.Completed, events[^1].StateChanged?.State));

        // With 8 slots the sessions overlap instead of running one after another.
        Assert.True(PeakOverlap(watched) >= 2, "no two sessions were RUNNING at the same time");

        for (var i = 0; i < SessionCount; i++)
        {
            var session = await SessionStreams.GetAsync(supervisor.Sessions, submitted[i].Id);
            Assert.Equal((SessionState.Completed, outputs[i], 1), (session.State, session.OutputPath, session.Attempts));
            var probe = await FfprobeReport.ProbeAsync(outputs[i]);
            Assert.Equal(("h264", TestClips.Width, TestClips.Height), (probe.Video.CodecName, probe.Video.Width, probe.Video.Height));
            Assert.Equal("aac", probe.Audio.CodecName);
            Assert.InRange(probe.Duration ?? 0, TestClips.ShortSeconds - 0.1, TestClips.ShortSeconds + 0.2);
        }
    }

    /// <summary>The most sessions that were between RUNNING and their end at one instant, from the events' timestamps.</summary>
    private static int PeakOverlap(IEnumerable<List<SessionEvent>> sessions)
    {
        var edges = sessions.SelectMany(events => new[]
        {
            (Time: events.First(e => e.StateChanged?.State == SessionState.Running).Time.ToDateTime(), Delta: 1),
            (Time: events[^1].Time.ToDateTime(), Delta: -1),
        });
        int current = 0, peak = 0;
        foreach (var (_, delta) in edges.OrderBy(e => e.Time).ThenBy(e => e.Delta))
        {
            current += delta;
            peak = Math.Max(peak, current);
        }

        return peak;
    }
}
