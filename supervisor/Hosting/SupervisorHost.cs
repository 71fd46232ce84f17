using System.Net;
using CliWrap;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OpenTelemetry.Resources;
using Sandbox.Supervisor.Api;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Isolation.Cgroups;
using Sandbox.Supervisor.Isolation.Identity;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Isolation.Seccomp;
using Sandbox.Supervisor.Sessions;
using Sandbox.Supervisor.Storage;
using Sandbox.Supervisor.Supervision;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Hosting;

/// <summary>
/// Builds the supervisor: an ASP.NET Core gRPC host on a Unix socket (and optionally TCP
/// loopback), with server reflection and grpc.health.v1 always on.
/// </summary>
public static class SupervisorHost
{
    /// <summary>
    /// Builds the host. Settings come from appsettings.json, environment variables
    /// (<c>Sandbox__Socket=…</c>) and <paramref name="overrides"/> (the command line), in that order.
    /// </summary>
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>> overrides, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(overrides);
        var settings = builder.Configuration.GetSection(SupervisorOptions.Section).Get<SupervisorOptions>() ?? new SupervisorOptions();
        builder.Logging.ClearProviders();
        if (settings.LogFormat == "json")
        {
            // One JSON object per line, with the message template's fields as properties: for log shippers.
            builder.Logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ");
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        logging?.Invoke(builder.Logging);

        var services = builder.Services;
        services.AddOptions<SupervisorOptions>().Bind(builder.Configuration.GetSection(SupervisorOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SupervisorOptions>, SupervisorOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => WorkerUser.FromSetting(sp.GetRequiredService<IOptions<SupervisorOptions>>().Value.WorkerUser, Environment.IsPrivilegedProcess));
        services.AddSingleton<StateDirectories>();
        services.AddSingleton<UploadStore>();
        services.AddSingleton<WorkerCommand>();
        services.AddSingleton<WorkerLauncher>();
        services.AddSingleton<WorkerRegistry>();
        services.AddSingleton<Hardware.HardwareInventory>();
        services.AddSingleton<Hardware.EncoderSessions>();
        services.AddSingleton(sp => new Hardware.HardwarePlanner(
            sp.GetRequiredService<Hardware.HardwareInventory>(),
            sp.GetRequiredService<Hardware.EncoderSessions>(),
            encoder => sp.GetRequiredService<HostProbe>().Capabilities.Encoders.GetValueOrDefault(encoder)));
        services.AddSingleton<SessionSpecTranslator>();
        services.AddSingleton<SessionRunner>();
        services.AddSingleton(sp => SessionStore.Open(sp.GetRequiredService<StateDirectories>().Root));
        services.AddSingleton<Quarantine>();
        services.AddSingleton<DeathCounters>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<SupervisorOptions>>().Value;
            return new RestartIntensity(options.RestartIntensity, options.RestartIntensityWindow, provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ProfileCatalog>();
        services.AddSingleton<SeccompPrograms>();
        services.AddSingleton(sp => CgroupProbe.Choose(sp.GetRequiredService<IOptions<SupervisorOptions>>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sandbox.Supervisor.Isolation")));
        services.AddSingleton<HostProbe>();
        services.AddHostedService(sp => sp.GetRequiredService<HostProbe>());
        services.AddSingleton<Memory.MemorySampler>();
        services.AddSingleton<Memory.MemoryBudget>();
        services.AddSingleton<Memory.AdmissionControl>();
        services.AddSingleton<Memory.MemoryGovernor>();
        services.AddHostedService(sp => sp.GetRequiredService<Memory.MemoryGovernor>());

        // The pool starts before the sessions and stops after them (hosted services stop in reverse order).
        services.AddSingleton<WorkerPool>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerPool>());
        services.AddSingleton<SessionManager>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionManager>());
        services.AddSingleton<Telemetry.SupervisorMetrics>();
        services.AddSingleton<Telemetry.SupervisorGauges>();
        AddTelemetry(services, settings);

        services.AddGrpc(o => o.MaxReceiveMessageSize = 8 << 20);
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<WorkerHealthCheck>("worker");

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenUnixSocket(settings.Socket, o => o.Protocols = HttpProtocols.Http2);
            if (settings.TcpPort > 0)
            {
                kestrel.Listen(IPAddress.Parse(settings.TcpAddress), settings.TcpPort, o => o.Protocols = HttpProtocols.Http2);
            }

            if (settings.MetricsPort > 0)
            {
                // Prometheus scrapes over HTTP/1.1.
                kestrel.Listen(IPAddress.Parse(settings.TcpAddress), settings.MetricsPort, o => o.Protocols = HttpProtocols.Http1);
            }
        });

        var app = builder.Build();
        app.MapGrpcService<SessionsApi>();
        app.MapGrpcService<SandboxApi>();
        if (settings.EnableFaultInjection)
        {
            // Tests and CI only: without the flag the service does not exist (UNIMPLEMENTED).
            app.MapGrpcService<ChaosApi>();
        }

        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        if (settings.MetricsPort > 0)
        {
            // Only on the metrics listener (HTTP/1.1), never on the gRPC ones.
            app.MapPrometheusScrapingEndpoint().RequireHost($"*:{settings.MetricsPort}");
        }

        return app;
    }

    /// <summary>
    /// OpenTelemetry, only where asked for: Prometheus metrics (MetricsPort), traces to a JSON-lines
    /// file (TraceFile), and metrics and traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set
    /// (the exporter reads the standard OTEL_* variables).
    /// </summary>
    private static void AddTelemetry(IServiceCollection services, SupervisorOptions settings)
    {
        var otlp = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 };
        var traced = otlp || settings.TraceFile.Length > 0;
        if (settings.MetricsPort == 0 && !traced)
        {
            return;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sandbox-supervisor", serviceVersion: typeof(SupervisorHost).Assembly.GetName().Version?.ToString()));
        if (settings.MetricsPort > 0 || otlp)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(Telemetry.SupervisorMetrics.MeterName);
                if (settings.MetricsPort > 0)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        }

        if (traced)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(Telemetry.SupervisorTrace.SourceName);
                if (settings.TraceFile.Length > 0)
                {
                    tracing.AddProcessor(new SimpleActivityExportProcessor(new Telemetry.JsonLinesTraceExporter(settings.TraceFile)));
                }

                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        }
    }

    /// <summary>
    /// Prepares the filesystem (state directories, socket directory 0750, stale socket removed),
    /// starts the host, then restricts the socket to its owner and configured group.
    /// </summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var options = app.Services.GetRequiredService<IOptions<SupervisorOptions>>().Value;

        // Profiles are loaded (and refused, naming every problem) before anything is listening.
        app.Services.GetRequiredService<ProfileCatalog>();
        app.Services.GetRequiredService<StateDirectories>().Prepare();
        app.Services.GetRequiredService<WorkerCommand>().StageForWorkerUser(app.Services.GetRequiredService<StateDirectories>().Programs);
        app.Services.GetRequiredService<SeccompPrograms>().CompileAll();
        if (options.EnableFaultInjection)
        {
            app.Logger.LogWarning("fault injection is enabled: workers serve FaultInjection and misbehave on request; never in production");
        }

        if (!Memory.OomScore.ProtectSupervisor())
        {
            // Information, not a warning: workers still volunteer first, and the embedded transcode (warnings only) need not say it.
            app.Logger.LogInformation("the supervisor could not lower its OOM score (no CAP_SYS_RESOURCE): a host-wide OOM could pick it, though workers volunteer first");
        }

        // The gauges observe the sessions, workers and memory from now on (collected at each scrape).
        app.Services.GetRequiredService<Telemetry.SupervisorGauges>();
        var cgroups = app.Services.GetRequiredService<ICgroupDriver>();
        cgroups.RemoveStale();
        var budget = app.Services.GetRequiredService<Memory.MemoryBudget>().Bytes;
        cgroups.LimitAll(budget + options.Memory.KernelCapHeadroomBytes);
        app.Services.GetRequiredService<SessionManager>().Recover();
        var socketDirectory = Path.GetDirectoryName(options.Socket)!;
        Directory.CreateDirectory(socketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        File.Delete(options.Socket);
        await app.StartAsync(cancellationToken);

        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (options.SocketGroup.Length > 0)
        {
            await CliWrap.Cli.Wrap("chgrp").WithArguments([options.SocketGroup, socketDirectory, options.Socket]).ExecuteAsync(cancellationToken);
            mode |= UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
        }

        File.SetUnixFileMode(options.Socket, mode);
    }
}
