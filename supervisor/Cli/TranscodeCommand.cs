using System.Runtime.InteropServices;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Hosting;
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
        var socket = Path.Combine(state, "sandbox.sock");
        KeyValuePair<string, string?>[] settings =
        [
            new("Sandbox:Socket", socket),
            new("Sandbox:StateDirectory", Path.Combine(state, "state")),
            new("Sandbox:InputRoots:0", Path.GetDirectoryName(spec.InputPath)),
            new("Sandbox:OutputRoots:0", Path.GetDirectoryName(spec.Output.Path)),
            new("Sandbox:MaxConcurrentSessions", "1"),
        ];
        try
        {
            await using var app = SupervisorHost.Build(settings, logging => logging.SetMinimumLevel(LogLevel.Warning));
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
}
