using Microsoft.Extensions.Options;

namespace Sandbox.Supervisor.Configuration;

/// <summary>Checks the settings at start and names every bad one, so a misconfigured supervisor never starts.</summary>
public sealed class SupervisorOptionsValidator : IValidateOptions<SupervisorOptions>
{
    public ValidateOptionsResult Validate(string? name, SupervisorOptions options)
    {
        var failures = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add(message);
            }
        }

        Check(Path.IsPathFullyQualified(options.Socket), $"Sandbox:Socket must be an absolute path (got '{options.Socket}')");
        Check(options.TcpPort is >= 0 and <= 65535, $"Sandbox:TcpPort must be 0 (off) or a port number (got {options.TcpPort})");
        Check(options.LogFormat is "text" or "json", $"Sandbox:LogFormat must be text or json (got '{options.LogFormat}')");
        Check(options.MetricsPort is >= 0 and <= 65535, $"Sandbox:MetricsPort must be 0 (off) or a port number (got {options.MetricsPort})");
        Check(options.MetricsPort == 0 || options.MetricsPort != options.TcpPort, $"Sandbox:MetricsPort and Sandbox:TcpPort must differ (both {options.MetricsPort})");
        Check(System.Net.IPAddress.TryParse(options.TcpAddress, out _), $"Sandbox:TcpAddress must be an IP address such as 127.0.0.1 or 0.0.0.0 (got '{options.TcpAddress}')");
        Check(Path.IsPathFullyQualified(options.StateDirectory), $"Sandbox:StateDirectory must be an absolute path (got '{options.StateDirectory}')");
        Check(options.MaxConcurrentSessions is >= 1 and <= 1024, $"Sandbox:MaxConcurrentSessions must be 1–1024 (got {options.MaxConcurrentSessions})");
        Check(options.MaxQueuedSessions is >= 0 and <= 100_000, $"Sandbox:MaxQueuedSessions must be 0–100000 (got {options.MaxQueuedSessions})");
        Check(options.WorkerStartTimeout > TimeSpan.Zero, "Sandbox:WorkerStartTimeout must be positive");
        Check(options.StopGracePeriod >= TimeSpan.Zero, "Sandbox:StopGracePeriod must not be negative");
        Check(options.MaxRestartsPerSession is >= 0 and <= 100, "Sandbox:MaxRestartsPerSession must be between 0 and 100");
        Check(options.RestartBaseDelay >= TimeSpan.Zero && options.RestartMaxDelay >= options.RestartBaseDelay, "Sandbox:RestartBaseDelay must not be negative, nor above Sandbox:RestartMaxDelay");
        Check(options.PoisonThreshold >= 1, "Sandbox:PoisonThreshold must be at least 1");
        Check(options.HangTimeout > TimeSpan.Zero, "Sandbox:HangTimeout must be positive");
        Check(options.DrainTimeout >= TimeSpan.Zero, "Sandbox:DrainTimeout must not be negative");
        Check(options.WarmWorkers is >= 0 and <= 64 && options.MaxWarmWorkers is >= 0 and <= 64, "Sandbox:WarmWorkers and Sandbox:MaxWarmWorkers must be 0–64");
        Check(options.WarmPoolShrinkAfter > TimeSpan.Zero, "Sandbox:WarmPoolShrinkAfter must be positive");
        Check(options.Memory.SampleInterval >= TimeSpan.FromMilliseconds(50), "Sandbox:Memory:SampleInterval must be at least 50 ms");
        Check(options.Memory.Budget >= 0, "Sandbox:Memory:Budget must be 0 (80% of physical memory) or a number of bytes");
        Check(options.Memory.PressureIndex.Decay is > 0 and <= 1 && options.Memory.PressureIndex.Window > TimeSpan.Zero && options.Memory.PressureIndex.RefaultScale > 0,
            "Sandbox:Memory:PressureIndex: Decay must be in (0, 1], Window and RefaultScale positive");
        Check(options.RestartIntensity >= 1 && options.RestartIntensityWindow > TimeSpan.Zero, "Sandbox:RestartIntensity must be at least 1 and Sandbox:RestartIntensityWindow positive");
        Check(options.MaxUploadBytes > 0, "Sandbox:MaxUploadBytes must be positive");
        Check(options.CgroupDriver is "auto" or "v2" or "v1" or "delegated" or "none", $"Sandbox:CgroupDriver must be auto, v2, v1, delegated or none (got '{options.CgroupDriver}')");
        Check(options.Namespaces is "auto" or "bwrap" or "off", $"Sandbox:Namespaces must be auto, bwrap or off (got '{options.Namespaces}')");
        Check(options.Namespaces != "bwrap" || Isolation.Namespaces.Bubblewrap.IsAvailable, $"Sandbox:Namespaces is bwrap, but {Isolation.Namespaces.Bubblewrap.Executable} is not installed (apt-get install bubblewrap)");
        Check(options.WorkerUser.Length == 0 || Isolation.Identity.WorkerUser.TryParse(options.WorkerUser) is not null, $"Sandbox:WorkerUser must be UID:GID with both above 0, or empty for the supervisor's own user (got '{options.WorkerUser}')");
        Check(options.WorkerUser.Length == 0 || !Environment.IsPrivilegedProcess || File.Exists(Isolation.Identity.WorkerUser.Setpriv), $"Sandbox:WorkerUser is set, but {Isolation.Identity.WorkerUser.Setpriv} is not installed (apt-get install util-linux)");
        Check(options.RetainedSessions >= 1, "Sandbox:RetainedSessions must be at least 1");
        foreach (var root in options.InputRoots.Concat(options.OutputRoots))
        {
            Check(Directory.Exists(root), $"root directory '{root}' (Sandbox:InputRoots/OutputRoots) does not exist");
        }

        Check(options.WorkerPath.Length == 0 || File.Exists(options.WorkerPath), $"Sandbox:WorkerPath '{options.WorkerPath}' does not exist");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
