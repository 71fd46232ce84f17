using System.Runtime.InteropServices;
using Sandbox.Supervisor.Hosting;

namespace Sandbox.Supervisor.Cli;

/// <summary><c>sandbox serve</c>: runs the supervisor until SIGTERM or SIGINT.</summary>
internal static class ServeCommand
{
    /// <summary>Tests only: lets workers misbehave on request (see SupervisorOptions.EnableFaultInjection).</summary>
    public const string EnableFaultInjectionFlag = "--enable-fault-injection";

    /// <summary>Command-line options and the settings they set (lists take the option once per value).</summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["--socket"] = "Socket",
        ["--socket-group"] = "SocketGroup",
        ["--tcp-port"] = "TcpPort",
        ["--tcp-address"] = "TcpAddress",
        ["--metrics-port"] = "MetricsPort",
        ["--log-format"] = "LogFormat",
        ["--trace-file"] = "TraceFile",
        ["--state-dir"] = "StateDirectory",
        ["--max-concurrent"] = "MaxConcurrentSessions",
        ["--max-queued"] = "MaxQueuedSessions",
        ["--worker"] = "WorkerPath",
        ["--profiles"] = "ProfilesDirectory",
        ["--worker-user"] = "WorkerUser",
        ["--input-root"] = "InputRoots",
        ["--output-root"] = "OutputRoots",
    };

    public static async Task<int> RunAsync(CommandLineArguments args)
    {
        await using var app = SupervisorHost.Build(Overrides(args));
        using var stop = new CancellationTokenSource();
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await SupervisorHost.StartAsync(app, stop.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        // Drain first, while the API still answers (SHUTTING_DOWN, health NOT_SERVING); then stop listening.
        await app.Services.GetRequiredService<Sessions.SessionManager>().DrainAsync(CancellationToken.None);
        await app.StopAsync(CancellationToken.None);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>Turns <c>--input-root A --input-root B</c> into <c>Sandbox:InputRoots:0=A</c>, <c>…:1=B</c>, and so on.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Overrides(CommandLineArguments args)
    {
        foreach (var name in args.OptionNames.Where(n => !Settings.ContainsKey(n)))
        {
            throw new UsageException($"unknown option {name} for serve (see sandbox --help)");
        }

        foreach (var (option, setting) in Settings)
        {
            var values = args.Values(option);
            if (setting.EndsWith("Roots", StringComparison.Ordinal))
            {
                for (var i = 0; i < values.Count; i++)
                {
                    yield return new($"Sandbox:{setting}:{i}", Path.GetFullPath(values[i]));
                }
            }
            else if (values.Count > 0)
            {
                yield return new($"Sandbox:{setting}", values[^1]);
            }
        }

        if (args.Flag(EnableFaultInjectionFlag))
        {
            yield return new("Sandbox:EnableFaultInjection", "true");
        }
    }
}
