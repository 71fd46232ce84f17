using Grpc.Net.Client;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>A long VP9 transcode under way, with a channel straight to its worker's socket (for fault injection).</summary>
public sealed record SlowSession(string Id, global::Sandbox.Api.V1.Worker Worker, GrpcChannel Channel) : IDisposable
{
    private static readonly TimeSpan CallTimeout = TestTime.Limit(TimeSpan.FromSeconds(30));

    /// <summary>Submits the session and waits for its first progress: the worker is then locked down and transcoding.</summary>
    public static async Task<SlowSession> StartAsync(SupervisorProcess supervisor, TestClips clips, string name, string profile = "default")
    {
        var spec = Specs.SlowWebm(supervisor.AddInput(clips.Long), Path.Combine(supervisor.OutputDirectory(name), "out.webm"));
        spec.Profile = profile;
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, spec);
        await SessionStreams.WaitForProgressAsync(supervisor.Sessions, submitted.Id);
        var workers = await supervisor.Operator.ListWorkersAsync(new ListWorkersRequest(), deadline: DateTime.UtcNow + CallTimeout);
        var worker = Assert.Single(workers.Workers, w => w.SessionId == submitted.Id);
        return new SlowSession(submitted.Id, worker, UnixSocketChannel.Create(worker.Socket));
    }

    public void Dispose() => Channel.Dispose();
}
