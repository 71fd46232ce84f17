using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Hosting;
using Sandbox.Supervisor.Isolation.Identity;

namespace Sandbox.Supervisor.Storage;

/// <summary>The supervisor's own directories under <see cref="SupervisorOptions.StateDirectory"/>.</summary>
internal sealed class StateDirectories(IOptions<SupervisorOptions> options, WorkerUser workerUser)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // Others may pass through, not list: workers (another uid) reach their own socket directory,
    // input and output by name only.
    private const UnixFileMode PassThrough = OwnerOnly | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public string Root => options.Value.StateDirectory;

    /// <summary>Completed uploads, named by upload id; an input root for workers.</summary>
    public string Uploads => Path.Combine(Root, "uploads");

    /// <summary>Outputs kept for Download, named by session id; an output root for workers.</summary>
    public string Downloads => Path.Combine(Root, "downloads");

    /// <summary>The compiled seccomp programs of the profiles.</summary>
    public string Seccomp => Path.Combine(Root, "seccomp");

    /// <summary>One directory per live worker, holding its socket.</summary>
    public string Workers => Path.Combine(Root, "workers");

    /// <summary>A copy of the worker's programs, made when the worker user cannot read the originals.</summary>
    public string Programs => Path.Combine(Root, "programs");

    /// <summary>Links to the output staging directories of running sessions, so a successor can remove them after a crash.</summary>
    public string Staging => Path.Combine(Root, "staging");

    /// <summary>Creates the directories and removes what a previous run left in them (including its sessions' staging directories).</summary>
    /// <exception cref="StartupException">The worker user cannot reach the state directory.</exception>
    public void Prepare()
    {
        var shared = workerUser.Uid is null ? OwnerOnly : PassThrough;
        Directory.CreateDirectory(Root, shared);
        File.SetUnixFileMode(Root, shared);
        if (!workerUser.CanTraverseTo(Path.Combine(Root, "workers")))
        {
            throw new StartupException(
                $"workers run as {workerUser}, which cannot reach the state directory {Root}: let others search every directory above it (chmod o+x), choose another Sandbox:StateDirectory, or set Sandbox:WorkerUser");
        }

        OutputStaging.RemoveLeftovers(Staging);
        foreach (var (directory, mode) in new[] { (Uploads, shared), (Downloads, shared), (Workers, shared), (Seccomp, OwnerOnly), (Programs, shared), (Staging, OwnerOnly) })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory, mode);
        }
    }
}
