using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>A profile's wall-clock limit bounds how long its worker may run, even for a session with no deadline of its own.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class WallClockTests(TestClips clips) : IDisposable
{
    private readonly TempDirectory _profiles = new();

    public void Dispose() => _profiles.Dispose();

    [Fact]
    public async Task A_worker_past_its_profiles_wall_clock_limit_is_stopped_and_the_session_fails_as_deadline_exceeded()
    {
        // Long enough for a first progress event, where emulation makes everything slower too.
        var wallClock = TestTime.Limit(TimeSpan.FromSeconds(2)).ToString(@"hh\:mm\:ss");
        var settings = await ShippedProfiles.WithExtraAsync(_profiles, "brief", $$"""
            { "extends": "default", "description": "a few seconds per worker", "limits": { "wallClock": "{{wallClock}}" } }
            """);
        await using var supervisor = await SupervisorProcess.StartAsync(settings);
        var spec = Specs.SlowWebm(supervisor.AddInput(clips.Long), supervisor.Output("brief.webm"));
        spec.Profile = "brief";

        var (session, events) = await SessionStreams.RunAsync(supervisor.Sessions, spec);

        Assert.True(session.State == SessionState.Failed && session.Failure.Reason == ErrorReason.DeadlineExceeded, $"{session}\n{SessionStreams.Describe(events)}");
        Assert.Contains($"wall-clock limit of {wallClock} (brief)", session.Failure.Message, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Progress is not null);
        Assert.False(File.Exists(supervisor.Output("brief.webm")));
    }
}
