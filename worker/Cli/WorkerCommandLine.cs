using System.Runtime.InteropServices;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Cli;

/// <summary>Entry point: dispatches the subcommands and turns every failure into a reason and an exit code.</summary>
internal static class WorkerCommandLine
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.FirstOrDefault();
        var rest = args.Skip(1).Where(a => a != "--verbose").ToList();
        try
        {
            if (args.Contains("--verbose"))
            {
                FFmpegLog.Verbose();
            }
            else
            {
                FFmpegLog.ErrorsOnly();
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // The version guard below reports missing libraries properly.
        }

        switch (command)
        {
            case "transcode":
                return await TranscodeAsync(rest);
            case "serve":
                return await Rpc.ServeCommand.RunAsync(rest);
            case "decode":
                return Decode(rest);
            case "capabilities":
                return Guarded(() => CapabilitiesCommand.Run(rest.Contains("--json"), Console.Out));
            case "version":
                return Guarded(() =>
                {
                    Console.WriteLine($"sandbox-worker {typeof(WorkerCommandLine).Assembly.GetName().Version}");
                    Console.WriteLine(string.Join(Environment.NewLine, FFmpegVersionGuard.EnsureSupported()));
                    return Success;
                });
            case "--help" or "-h" or "help":
                Console.WriteLine(Cli.Usage.Text);
                return Success;
            default:
                Console.Error.WriteLine(command is null ? "missing command" : $"unknown command '{command}'");
                Console.Error.WriteLine(Cli.Usage.Text);
                return Usage;
        }
    }

    private static async Task<int> TranscodeAsync(IReadOnlyList<string> args)
    {
        var json = args.Contains("--json");
        IReporter reporter = json ? new JsonLinesReporter(Console.OpenStandardOutput()) : new ConsoleReporter(Console.Error);
        using var cancellation = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        try
        {
            var command = TranscodeCommand.Parse(args);
            var transcoder = new Transcoder();
            var progress = command.Fault?.Watch(reporter, transcoder.ProgressInterval) ?? reporter;
            if (command.Fault is not null)
            {
                transcoder = new Transcoder { ProgressInterval = TimeSpan.Zero };
            }

            var result = await transcoder.RunAsync(command.Spec, command.Policy, progress, cancellation.Token);
            reporter.Completed(result);
            return Success;
        }
        catch (TranscodeException e)
        {
            reporter.Failed(e);
            return e.Reason switch
            {
                ErrorReason.INVALID_SPEC => Usage,
                ErrorReason.CANCELLED => Cancelled,
                _ => Failed,
            };
        }
        catch (OperationCanceledException e)
        {
            reporter.Failed(new TranscodeException(ErrorReason.CANCELLED, "the transcode was cancelled", e));
            return Cancelled;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            reporter.Failed(new TranscodeException(ErrorReason.INTERNAL, $"{e.GetType().Name}: {e.Message}", e));
            return Failed;
        }

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            cancellation.Cancel();
        }
    }

    private static int Decode(IReadOnlyList<string> args)
    {
        var json = args.Contains("--json");
        IReporter reporter = json ? new JsonLinesReporter(Console.OpenStandardOutput()) : new ConsoleReporter(Console.Error);
        var paths = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (paths.Count != 1)
        {
            reporter.Failed(TranscodeException.Invalid("arguments", "decode takes exactly one INPUT"));
            return Usage;
        }

        try
        {
            reporter.Decoded(new DecodeRun().Run(paths[0], InputPolicy.Default, CancellationToken.None));
            return Success;
        }
        catch (TranscodeException e)
        {
            reporter.Failed(e);
            return e.Reason == ErrorReason.INVALID_SPEC ? Usage : Failed;
        }
    }

    private static int Guarded(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (FFmpegVersionException e)
        {
            Console.Error.WriteLine($"error: {ErrorReason.FFMPEG_VERSION_MISMATCH}: {e.Message}");
            return Failed;
        }
    }
}
