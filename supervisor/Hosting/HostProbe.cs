using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Isolation.Cgroups;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Hosting;

/// <summary>
/// Learns at start-up what the host can do by asking the worker itself (<c>capabilities --json</c>):
/// the supervisor never loads FFmpeg, so the worker's view is the one that counts.
/// </summary>
internal sealed class HostProbe(WorkerCommand worker, WorkerLauncher launcher, ProfileCatalog profiles, ICgroupDriver cgroups, TimeProvider time, ILogger<HostProbe> logger) : IHostedService
{
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public HostCapabilities Capabilities { get; private set; } = new() { CgroupDriver = "none" };

    /// <summary>Why the worker cannot serve, or null when it can.</summary>
    public string? Problem { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var capabilities = new HostCapabilities { CgroupDriver = cgroups.Name, Namespaces = launcher.UsesNamespaces ? "bwrap" : "off", WorkerCommand = worker.ToString(), WorkerBuild = worker.Build };
        capabilities.SandboxProfiles.AddRange(profiles.Names);
        if (!worker.Exists)
        {
            Problem = $"the worker executable {worker.Path} does not exist";
            Capabilities = capabilities;
            logger.LogError("{Problem}", Problem);
            return;
        }

        var result = await CliWrap.Cli.Wrap(worker.FileName)
            .WithArguments([.. worker.Arguments, "capabilities", "--json"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            Problem = $"the worker cannot start: {result.StandardError.Trim()}";
            Capabilities = capabilities;
            logger.LogError("{Problem}", Problem);
            return;
        }

        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        foreach (var library in root.GetProperty("libraries").EnumerateObject())
        {
            capabilities.FfmpegLibraries[library.Name] = library.Value.GetString() ?? "";
        }

        foreach (var encoder in root.GetProperty("encoders").EnumerateObject())
        {
            capabilities.Encoders[encoder.Name] = encoder.Value.GetBoolean();
        }

        capabilities.HardwareDeviceTypes.AddRange(root.GetProperty("hardwareDeviceTypes").EnumerateArray().Select(e => e.GetString() ?? ""));
        Capabilities = capabilities;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
