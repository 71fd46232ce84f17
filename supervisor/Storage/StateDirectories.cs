using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;

namespace Sandbox.Supervisor.Storage;

/// <summary>The supervisor's own directories under <see cref="SupervisorOptions.StateDirectory"/>.</summary>
internal sealed class StateDirectories(IOptions<SupervisorOptions> options)
{
    public string Root => options.Value.StateDirectory;

    /// <summary>Completed uploads, named by upload id; an input root for workers.</summary>
    public string Uploads => Path.Combine(Root, "uploads");

    /// <summary>Outputs kept for Download, named by session id; an output root for workers.</summary>
    public string Downloads => Path.Combine(Root, "downloads");

    /// <summary>The compiled seccomp programs of the profiles.</summary>
    public string Seccomp => Path.Combine(Root, "seccomp");

    /// <summary>One directory per live worker, holding its socket.</summary>
    public string Workers => Path.Combine(Root, "workers");

    /// <summary>Creates the directories (owner-only) and removes what a previous run left in them.</summary>
    public void Prepare()
    {
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(Root, ownerOnly);
        foreach (var directory in new[] { Uploads, Downloads, Workers, Seccomp })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory, ownerOnly);
        }
    }
}
