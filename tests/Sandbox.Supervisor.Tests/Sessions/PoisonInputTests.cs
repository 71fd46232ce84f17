using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;
using Sandbox.Supervisor.Tests.Isolation;

namespace Sandbox.Supervisor.Tests.Sessions;

/// <summary>
/// An input that crashes workers the same way at the same place twice is poison: the session fails
/// with POISON_INPUT, the input is quarantined and refused at Submit until an operator clears it.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class PoisonInputTests(TestClips clips, FaultInjectionSupervisorFixture fixture) : IClassFixture<FaultInjectionSupervisorFixture>
{
    private SupervisorProcess Supervisor => fixture.Supervisor;

    [Fact]
    public async Task Two_crashes_at_the_same_place_quarantine_the_input_until_cleared()
    {
        var input = Supervisor.AddInput(clips.Long, "poison.mp4");
        var spec = Specs.SlowWebm(input, Path.Combine(Supervisor.OutputDirectory("poison"), "out.webm"));

        // One chunk for the whole clip: both crashes happen with nothing durable, at the same place.
        spec.Checkpoints = new CheckpointSettings { ChunkLength = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) };
        var chaos = new Chaos.ChaosClient(Supervisor.Channel);
        var submitted = await SessionStreams.SubmitAsync(Supervisor.Sessions, spec);
        await SessionStreams.WaitForProgressAsync(Supervisor.Sessions, submitted.Id);
        await chaos.InjectFaultAsync(new InjectFaultRequest { SessionId = submitted.Id, Kind = FaultKind.FaultSegfault, InputFault = true });
        var restartedAt = (await SessionStreams.WatchUntilAsync(Supervisor.Sessions, submitted.Id, e => e.WorkerRestarted is not null))[^1].Sequence;
        await SessionStreams.WatchUntilAsync(Supervisor.Sessions, submitted.Id, e => e.Progress is not null, fromSequence: restartedAt + 1);
        await chaos.InjectFaultAsync(new InjectFaultRequest { SessionId = submitted.Id, Kind = FaultKind.FaultSegfault, InputFault = true });

        var events = await SessionStreams.WatchToEndAsync(Supervisor.Sessions, submitted.Id);
        var session = await SessionStreams.GetAsync(Supervisor.Sessions, submitted.Id);
        Assert.True(session.Failure?.Reason == ErrorReason.PoisonInput, SessionStreams.Describe(events));
        Assert.Contains("quarantined", session.Failure.Message);
        Assert.Equal(2, session.Attempts);

        var quarantined = Assert.Single((await Supervisor.Operator.ListQuarantineAsync(new ListQuarantineRequest())).Inputs, q => q.SessionId == submitted.Id);
        Assert.Equal(("native_crash", 2), (quarantined.Death, quarantined.Deaths));

        // The same input is refused, whatever its name; once cleared it is taken again.
        var copy = Supervisor.AddInput(clips.Long, "renamed.mp4");
        var refused = await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition,
            ErrorReason.PoisonInput,
            () => Supervisor.Sessions.SubmitAsync(new SubmitRequest { Spec = Specs.Mp4(copy, Supervisor.Output("refused.mp4")) }).ResponseAsync);
        Assert.Contains(quarantined.Fingerprint, refused.Status.Detail);

        Assert.Equal(1, (await Supervisor.Operator.ClearQuarantineAsync(new ClearQuarantineRequest { Fingerprint = quarantined.Fingerprint })).Cleared);
        var accepted = await SessionStreams.SubmitAsync(Supervisor.Sessions, Specs.Mp4(copy, Supervisor.Output("accepted.mp4")));
        Assert.Equal(SessionState.Completed, (await SessionStreams.WatchToEndAsync(Supervisor.Sessions, accepted.Id))[^1].StateChanged?.State);
    }
}
