using System.Runtime.InteropServices;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Hosting;
using Sandbox.Supervisor.Isolation.Identity;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Cli;

/// <summary>
/// <c>sandbox transcode IN OUT [options]</c>, the embedded default: starts a private supervisor in
/// this process (its own state directory and socket), runs one session in a real worker through the
/// same gRPC API clients use, shows a progress bar, and exits non-zero with the reason on failure.
/// </summary>
internal static class TranscodeCommand
{
    public static async Task<int> RunAsync(CommandLineArguments args, CommandOutput output)
    {
        if (args.Positional.Count != 2)
        {
            throw new UsageException("transcode takes INPUT and OUTPUT");
        }

        var spec = SpecArguments.Parse(args.Positional[0], args.Positional[1], args.Rest("--json"));
        var state = Directory.CreateTempSubdirectory("sandbox-transcode-").FullName;

        // Workers (another user) pass through to their sockets and to the private area, without listing.
        File.SetUnixFileMode(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var socket = Path.Combine(state, "sandbox.sock");
        var requestedOutput = spec.Output.TargetCase == OutputTarget.TargetOneofCase.Path ? spec.Output.Path : null;
        try
        {
            var reachable = new WorkerReachablePaths(state);
            await using var app = SupervisorHost.Build(Settings(state, socket, spec), logging => logging.SetMinimumLevel(LogLevel.Warning));
            var user = app.Services.GetRequiredService<WorkerUser>();
            spec.InputPath = await reachable.InputAsync(spec.InputPath, user, CancellationToken.None);
            if (requestedOutput is not null)
            {
                spec.Output.Path = reachable.Output(requestedOutput, user);
            }

            await SupervisorHost.StartAsync(app, CancellationToken.None);
            using var channel = UnixSocketChannel.Create(socket);
            var client = new global::Sandbox.Api.V1.Sessions.SessionsClient(channel);
            try
            {
                var session = await client.SubmitAsync(new SubmitRequest { Spec = spec });
                using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
                {
                    context.Cancel = true;
                    client.Cancel(new CancelRequest { SessionId = session.Id });
                });
                await SessionCommands.FollowAsync(client, session.Id, 1, output, output.Json ? null : new ProgressDisplay());
                var final = await client.GetAsync(new GetSessionRequest { SessionId = session.Id });
                if (final.State == SessionState.Completed && requestedOutput is not null)
                {
                    await WorkerReachablePaths.PublishAsync(final.OutputPath, requestedOutput, CancellationToken.None);
                    final.OutputPath = requestedOutput;
                }

                if (output.Json)
                {
                    output.Print(final, () => "");
                }
                else if (final.State == SessionState.Completed)
                {
                    Console.Error.WriteLine(CommandOutput.Describe(final));
                }
                else
                {
                    Console.Error.WriteLine($"error: {ErrorReasonNames.Name(final.Failure.Reason)}: {final.Failure.Message}");
                }

                return final.State == SessionState.Completed ? 0 : 1;
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        }
        catch (RpcException e)
        {
            return CommandOutput.Fail(e);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>A private supervisor for one session: its own socket and state, and roots for exactly this input and output.</summary>
    private static KeyValuePair<string, string?>[] Settings(string state, string socket, SessionSpec spec) =>
    [
        new("Sandbox:Socket", socket),
        new("Sandbox:StateDirectory", Path.Combine(state, "state")),
        new("Sandbox:InputRoots:0", Path.GetDirectoryName(spec.InputPath)),
        new("Sandbox:InputRoots:1", Path.Combine(state, "in")),
        new("Sandbox:OutputRoots:0", spec.Output.TargetCase == OutputTarget.TargetOneofCase.Path ? Path.GetDirectoryName(spec.Output.Path) : Path.Combine(state, "out")),
        new("Sandbox:OutputRoots:1", Path.Combine(state, "out")),
        new("Sandbox:MaxConcurrentSessions", "1"),

        // One session, started at once: a warm worker would only be one more process to start.
        new("Sandbox:WarmWorkers", "0"),
    ];
}
