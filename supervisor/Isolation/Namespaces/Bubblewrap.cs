using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Isolation.Namespaces;

/// <summary>
/// Wraps the worker's command in bubblewrap: fresh mount, pid, net, ipc, uts and user namespaces,
/// a new session (no controlling terminal), an empty root holding only the profile's read-only
/// system paths, /proc, a /dev with only the profile's devices, the profile's tmpfs directories, the worker's programs,
/// its socket directory, its input (read-only) and its output directory — and a cleared environment.
/// </summary>
/// <remarks>
/// <c>--die-with-parent</c> is left out on purpose: it uses PR_SET_PDEATHSIG, which fires when the
/// supervisor <em>thread</em> that started bwrap exits, and .NET retires idle thread-pool threads.
/// A worker instead exits when its stdin pipe from the supervisor closes, and its cgroup is killed.
/// </remarks>
public static class Bubblewrap
{
    public const string Executable = "/usr/bin/bwrap";

    /// <summary>Symlinks of a merged-/usr system, made inside the sandbox so /bin/sh and /lib64/ld-linux resolve.</summary>
    private static readonly (string Target, string Link)[] MergedUsr = [("usr/bin", "/bin"), ("usr/sbin", "/sbin"), ("usr/lib", "/lib"), ("usr/lib64", "/lib64")];

    /// <summary>The standard descriptors' names, which programs open by path.</summary>
    private static readonly (string Target, string Link)[] DevLinks =
        [("/proc/self/fd", "/dev/fd"), ("/proc/self/fd/0", "/dev/stdin"), ("/proc/self/fd/1", "/dev/stdout"), ("/proc/self/fd/2", "/dev/stderr")];

    public static bool IsAvailable => File.Exists(Executable);

    /// <param name="seccompDescriptor">An open descriptor holding a BPF program bubblewrap installs before it executes the command, or null.</param>
    public static IReadOnlyList<string> Wrap(
        SandboxProfile profile, SandboxView view, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> command, int? seccompDescriptor = null)
    {
        List<string> arguments = [Executable, "--unshare-all", "--new-session"];
        foreach (var path in profile.Filesystem?.ReadOnly ?? [])
        {
            arguments.AddRange(["--ro-bind-try", path, path]);
        }

        foreach (var (target, link) in MergedUsr)
        {
            arguments.AddRange(["--symlink", target, link]);
        }

        // A /dev of the profile's device nodes only (bubblewrap's --dev would add full, random, tty…);
        // the device cgroup enforces the same list on the numbers.
        arguments.AddRange(["--proc", "/proc", "--tmpfs", "/dev"]);
        foreach (var device in profile.Devices ?? [])
        {
            arguments.AddRange(["--dev-bind-try", device.Path!, device.Path!]);
        }

        foreach (var (target, link) in DevLinks)
        {
            arguments.AddRange(["--symlink", target, link]);
        }

        // Directories made first, so the binds below can create their mount points inside them.
        foreach (var path in profile.Filesystem?.Tmpfs ?? [])
        {
            arguments.AddRange(["--tmpfs", path]);
        }

        foreach (var path in view.Programs)
        {
            arguments.AddRange(["--ro-bind", path, path]);
        }

        arguments.AddRange(["--bind", view.SocketDirectory, view.SocketDirectory]);
        arguments.AddRange(["--bind", view.OutputDirectory, view.OutputDirectory]);
        if (view.Input is { } input)
        {
            arguments.AddRange(["--ro-bind", input, input]);
        }

        arguments.Add("--clearenv");
        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        if (seccompDescriptor is { } descriptor)
        {
            arguments.AddRange(["--seccomp", descriptor.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(["--chdir", "/", "--"]);
        arguments.AddRange(command);
        return arguments;
    }
}
