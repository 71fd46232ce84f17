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

    /// <summary>
    /// One directory per warm worker, through which its session's files are mounted into its view
    /// (<see cref="Isolation.Namespaces.ExchangeDirectory"/>).
    /// </summary>
    public string Exchange => Path.Combine(Root, "exchange");

    /// <summary>Links to the output staging directories of running sessions, so a successor can remove them after a crash.</summary>
    public string Staging => Path.Combine(Root, "staging");

    /// <summary>
    /// Creates the directories. What a previous run left that no session can use any more (its
    /// workers' sockets and exchange mounts, compiled programs, half-received uploads) goes now; uploads, downloads and
    /// staging directories stay until <see cref="RemoveLeftovers"/> knows which sessions resume.
    /// </summary>
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

        // Mounts a killed supervisor left go first, so that no delete reaches into a session's files.
        Isolation.Namespaces.ExchangeDirectory.Remove(Exchange);
        foreach (var (directory, mode) in new[] { (Workers, shared), (Seccomp, OwnerOnly), (Programs, shared), (Exchange, shared) })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory, mode);
        }

        foreach (var (directory, mode) in new[] { (Uploads, shared), (Downloads, shared), (Staging, OwnerOnly) })
        {
            Directory.CreateDirectory(directory, mode);
            File.SetUnixFileMode(directory, mode);
        }

        foreach (var partial in Directory.EnumerateFiles(Uploads, "*.partial"))
        {
            File.Delete(partial);
        }
    }

    /// <summary>
    /// Removes what sessions of a previous run left and no session will use: the staging directories
    /// (with their checkpoints) of sessions that do not resume, uploads no resuming session reads,
    /// and downloads of sessions that are gone.
    /// </summary>
    public void RemoveLeftovers(IReadOnlySet<string> resumingSessions, IReadOnlySet<string> inputsInUse, IReadOnlySet<string> downloadsKept)
    {
        OutputStaging.RemoveLeftovers(Staging, resumingSessions);
        foreach (var upload in Directory.EnumerateFiles(Uploads).Where(f => !inputsInUse.Contains(f)))
        {
            File.Delete(upload);
        }

        foreach (var download in Directory.EnumerateFiles(Downloads).Where(f => !downloadsKept.Contains(Path.GetFileNameWithoutExtension(f))))
        {
            File.Delete(download);
        }
    }
}
