using Grpc.Core;
using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Hosting;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Worker.Engine;

namespace Sandbox.Supervisor.Cli;

/// <summary>The <c>sandbox</c> executable: the supervisor (<c>serve</c>), the embedded transcode, and the client commands.</summary>
public static class SandboxCommandLine
{
    private static readonly HashSet<string> Flags = ["--json", "--watch", "--all", "--no-video", "--no-audio", "--verbose", "--help", "-h", ServeCommand.EnableFaultInjectionFlag];

    private const string Help = """
        sandbox — runs FFmpeg transcodes in sandboxed worker processes.

        usage:
          sandbox transcode INPUT OUTPUT [transcode options]   run one session in a private supervisor, with a progress bar
          sandbox serve [serve options]                         run the supervisor (gRPC on a Unix socket)

          sandbox submit INPUT OUTPUT [transcode options] [--watch]
          sandbox watch SESSION_ID [--from SEQUENCE]
          sandbox get SESSION_ID
          sandbox list [--state STATE]... [--page-size N] [--page TOKEN]
          sandbox cancel SESSION_ID
          sandbox status [--watch]
          sandbox workers [WORKER_ID] [--watch]
          sandbox quarantine [clear FINGERPRINT | clear --all]

        client options (every command but transcode and serve):
          --socket PATH        the supervisor's socket (default $SANDBOX_SOCKET or /run/sandbox/sandbox.sock)
          --address URL        connect over TCP instead, e.g. http://127.0.0.1:7300
          --json               protobuf JSON, one object per line
          --watch              status, workers: redraw every --interval SECONDS (default 1) until Ctrl-C or --count N

        transcode options (as sandbox-worker transcode; see worker/README.md):
          --container mp4|webm|mkv|mpegts  --video CODEC[:BITRATE][:WxH]  --video-codec CODEC  --video-bitrate RATE
          --crf N  --size WxH  --width N  --height N  --fps RATE  --gop N  --preset NAME  --threads N  --no-video
          --audio CODEC[:BITRATE]  --audio-codec CODEC  --audio-bitrate RATE  --channels N  --sample-rate HZ  --no-audio
          --deadline DURATION

        serve options (also settable in appsettings.json or as Sandbox__Name environment variables):
          --socket PATH  --socket-group GROUP  --tcp-port PORT  --tcp-address IP  --metrics-port PORT
          --state-dir DIR  --input-root DIR...  --output-root DIR...  --log-format text|json  --trace-file PATH
          --max-concurrent N  --max-queued N  --worker PATH  --profiles DIR  --worker-user UID:GID
          --enable-fault-injection  tests only: workers serve sandbox.worker.v1.FaultInjection (off by default)

        exit status: 0 success, 1 failure (reason printed), 2 invalid spec or usage.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            Console.WriteLine(Help);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var arguments = new CommandLineArguments(args.Skip(1), Flags);
            var output = new CommandOutput(arguments.Flag("--json"));
            return args[0] switch
            {
                "serve" => await ServeCommand.RunAsync(arguments),
                "transcode" => await TranscodeCommand.RunAsync(arguments, output),
                "submit" => await SessionCommands.SubmitAsync(arguments, output),
                "watch" => await SessionCommands.WatchAsync(arguments, output),
                "get" => await SessionCommands.GetAsync(arguments, output),
                "list" => await SessionCommands.ListAsync(arguments, output),
                "cancel" => await SessionCommands.CancelAsync(arguments, output),
                "status" => await OperatorCommands.StatusAsync(arguments, output),
                "workers" => await OperatorCommands.WorkersAsync(arguments, output),
                "quarantine" => await OperatorCommands.QuarantineAsync(arguments, output),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("see: sandbox --help");
            return 2;
        }
        catch (TranscodeException e)
        {
            return SpecArguments.Fail(e);
        }
        catch (RpcException e)
        {
            return CommandOutput.Fail(e);
        }
        catch (StartupException e)
        {
            Console.Error.WriteLine($"error: cannot start: {e.Message}");
            return 1;
        }
        catch (ProfileException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (OptionsValidationException e)
        {
            Console.Error.WriteLine("error: invalid configuration:");
            foreach (var failure in e.Failures)
            {
                Console.Error.WriteLine($"  {failure}");
            }

            return 2;
        }
    }
}
