using Grpc.Net.Client;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Cli;

/// <summary>Opens a channel to a running supervisor: <c>--socket PATH</c> (default) or <c>--address http://127.0.0.1:PORT</c>.</summary>
internal static class ClientConnection
{
    public const string DefaultSocket = "/run/sandbox/sandbox.sock";

    public static GrpcChannel Open(CommandLineArguments args)
    {
        if (args.Value("--address") is { } address)
        {
            return GrpcChannel.ForAddress(address);
        }

        var socket = args.Value("--socket") ?? Environment.GetEnvironmentVariable("SANDBOX_SOCKET") ?? DefaultSocket;
        return UnixSocketChannel.Create(socket);
    }
}
