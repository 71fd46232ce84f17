using System.Collections.Concurrent;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Storage;

namespace Sandbox.Supervisor.Isolation.Seccomp;

/// <summary>
/// The seccomp programs of every profile, compiled once at start-up into the state directory: the
/// baseline (installed by bubblewrap) and the lockdown (sent to the worker, which installs it on
/// itself). A profile libseccomp refuses stops the supervisor from starting, naming the rule.
/// </summary>
internal sealed class SeccompPrograms(ProfileCatalog profiles, StateDirectories directories)
{
    /// <summary>The descriptor number the program is handed to bubblewrap on (<c>--seccomp 9</c>; POSIX sh redirects only single-digit descriptors).</summary>
    public const int Descriptor = 9;

    /// <summary>A lockdown allows what it does not name: it only narrows the baseline further.</summary>
    private const string LockdownDefaultAction = "SCMP_ACT_ALLOW";

    private readonly ConcurrentDictionary<string, byte[]> _lockdowns = new();

    public void CompileAll()
    {
        Directory.CreateDirectory(directories.Seccomp);
        foreach (var (name, profile) in profiles.Profiles)
        {
            SeccompCompiler.Compile(name, profile.Seccomp!, PathFor(name));
            if (profile.Lockdown is { } lockdown)
            {
                var path = Path.Combine(directories.Seccomp, $"{name}.lockdown.bpf");
                SeccompCompiler.Compile(name, lockdown with { DefaultAction = lockdown.DefaultAction ?? LockdownDefaultAction }, path, "lockdown");
                _lockdowns[name] = File.ReadAllBytes(path);
            }
        }
    }

    public string PathFor(string profileName) => Path.Combine(directories.Seccomp, $"{profileName}.bpf");

    /// <summary>The profile's compiled lockdown program (sock_filter instructions), or empty when it has none.</summary>
    public ReadOnlyMemory<byte> LockdownFor(string profileName) => _lockdowns.TryGetValue(profileName, out var program) ? program : ReadOnlyMemory<byte>.Empty;
}
