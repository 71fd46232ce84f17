using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Storage;

namespace Sandbox.Supervisor.Isolation.Seccomp;

/// <summary>
/// The baseline seccomp program of every profile, compiled once at start-up into the state
/// directory; a profile libseccomp refuses stops the supervisor from starting, naming the rule.
/// </summary>
internal sealed class SeccompPrograms(ProfileCatalog profiles, StateDirectories directories)
{
    /// <summary>The descriptor number the program is handed to bubblewrap on (<c>--seccomp 9</c>; POSIX sh redirects only single-digit descriptors).</summary>
    public const int Descriptor = 9;

    public void CompileAll()
    {
        Directory.CreateDirectory(directories.Seccomp);
        foreach (var (name, profile) in profiles.Profiles)
        {
            SeccompCompiler.Compile(name, profile.Seccomp!, PathFor(name));
        }
    }

    public string PathFor(string profileName) => Path.Combine(directories.Seccomp, $"{profileName}.bpf");
}
