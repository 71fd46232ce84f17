using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Api;

/// <summary>Calls about sessions that do not exist or have ended: NOT_FOUND and FAILED_PRECONDITION with their reasons.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class SessionErrorTests(TestClips clips, SupervisorFixture fixture) : IClassFixture<SupervisorFixture>
{
    private const string UnknownId = "s-0000000000000000";

    private SupervisorProcess Supervisor => fixture.Supervisor;

    private SessionsClient Client => Supervisor.Sessions;

    [Fact]
    public async Task Unknown_session_is_not_found_for_get_cancel_and_watch()
    {
        await RpcAssert.FailsAsync(StatusCode.NotFound, ErrorReason.SessionNotFound, () => SessionStreams.GetAsync(Client, UnknownId));
        await RpcAssert.FailsAsync(
            StatusCode.NotFound, ErrorReason.SessionNotFound,
            () => Client.CancelAsync(new CancelRequest { SessionId = UnknownId }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.NotFound, ErrorReason.SessionNotFound, () => SessionStreams.WatchToEndAsync(Client, UnknownId));
    }

    [Fact]
    public async Task Cancel_of_a_finished_session_is_a_failed_precondition()
    {
        var (session, _) = await SessionStreams.RunAsync(Client, Specs.Mp4(Supervisor.AddInput(clips.Short), Supervisor.Output("finished.mp4")));
        Assert.Equal(SessionState.Completed, session.State);

        await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition, ErrorReason.SessionFinished,
            () => Client.CancelAsync(new CancelRequest { SessionId = session.Id }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        // Refusing the cancel changed nothing: the session and its output are intact.
        Assert.Equal(SessionState.Completed, (await SessionStreams.GetAsync(Client, session.Id)).State);
        Assert.True(File.Exists(session.OutputPath));
    }
}
