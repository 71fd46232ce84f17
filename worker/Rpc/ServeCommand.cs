using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sandbox.Worker.Cli;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Rpc;

/// <summary>
/// <c>serve --socket PATH</c>: the worker as the supervisor runs it. It listens for gRPC on a Unix
/// socket, prints <c>READY</c> on stdout once it accepts calls (the supervisor waits for that line
/// instead of polling), and exits after its one transcode, on SIGTERM/SIGINT, or when its standard
/// input reaches end of file. The supervisor holds the other end of that pipe, so the kernel closes
/// it when the supervisor dies, however it dies, and no worker outlives it. With
/// <c>--allow-fault-injection</c> (tests only) it also serves the FaultInjection service.
/// </summary>
internal static class ServeCommand
{
    public const string ReadyLine = "READY";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var socket = Option(args, "--socket");
        if (socket is null)
        {
            await Console.Error.WriteLineAsync("serve: --socket PATH is required");
            return WorkerCommandLine.Usage;
        }

        LibraryCheck.EnsureSupported();

        // A socket file left by a killed predecessor would make bind() fail.
        File.Delete(socket);
        // The empty builder reads no appsettings and watches no files: the slim builder would put an
        // inotify watch on every directory under the content root, which in the sandbox is "/" (~0.5 s).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        // On stderr: stdout carries READY, and the supervisor keeps stderr's tail for the session (Get).
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Sandbox", LogLevel.Information);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new Transcoder());
        builder.Services.AddSingleton<WorkerLockdown>();
        builder.Services.AddSingleton<WorkerService>();
        await using var app = builder.Build();
        app.MapGrpcService<WorkerService>();
        if (args.Contains(ServeSwitches.AllowFaultInjection))
        {
            app.MapGrpcService<FaultInjectionService>();
        }

        var service = app.Services.GetRequiredService<WorkerService>();
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        await app.StartAsync();
        _ = ExitWhenStdinClosesAsync(service);
        File.SetUnixFileMode(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Console.Out.WriteLineAsync(ReadyLine);
        await Console.Out.FlushAsync();
        await app.WaitForShutdownAsync();
        return WorkerCommandLine.Success;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            service.Stop();
        }
    }

    private static async Task ExitWhenStdinClosesAsync(WorkerService service)
    {
        await using var stdin = Console.OpenStandardInput();
        var buffer = new byte[64];
        while (await stdin.ReadAsync(buffer) > 0)
        {
        }

        await Console.Error.WriteLineAsync("serve: standard input closed (the supervisor is gone); stopping");
        service.Stop();

        // A transcode stuck inside a native call may not see the cancellation: do not outlive the grace period.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Environment.Exit(WorkerCommandLine.Cancelled);
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count ? args[index + 1] : null;
    }
}
