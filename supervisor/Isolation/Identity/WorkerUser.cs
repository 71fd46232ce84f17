using System.Globalization;
using Sandbox.Worker.Interop;

namespace Sandbox.Supervisor.Isolation.Identity;

/// <summary>
/// Who workers run as, as seen from the host: a dedicated unprivileged uid/gid (<c>WorkerUser</c>,
/// default 65534:65534, "nobody") when the supervisor is root — not merely uid 0 renamed inside a
/// user namespace — or the supervisor's own user otherwise. The launcher drops to it with
/// <c>setpriv</c> after the worker joined its cgroup and before bubblewrap makes the namespaces,
/// so bubblewrap itself runs unprivileged.
/// </summary>
/// <remarks>
/// That user must read what the worker reads (its programs, its input) and write its socket and
/// output directories: the supervisor hands it those directories, and checks inputs at Submit.
/// Permission bits are checked, not ACLs.
/// </remarks>
public sealed class WorkerUser
{
    public const string Setpriv = "/usr/bin/setpriv";

    private WorkerUser(int? uid, int? gid)
    {
        Uid = uid;
        Gid = gid;
    }

    /// <summary>The uid workers get, or null when they run as the supervisor's own user.</summary>
    public int? Uid { get; }

    public int? Gid { get; }

    /// <summary>Workers run as the supervisor's own user (it is not root, or the setting is empty).</summary>
    public static WorkerUser Supervisor { get; } = new(null, null);

    /// <summary>The user a <c>WorkerUser</c> setting (<c>UID:GID</c>, or empty) names, for a supervisor that is or is not root.</summary>
    public static WorkerUser FromSetting(string setting, bool supervisorIsRoot) =>
        setting.Length == 0 || !supervisorIsRoot ? Supervisor
        : TryParse(setting) is var (uid, gid) ? new WorkerUser(uid, gid)
        : throw new FormatException($"'{setting}' is not UID:GID with both above 0");

    public static (int Uid, int Gid)? TryParse(string setting) =>
        setting.Split(':') is [var uid, var gid]
        && int.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out var u)
        && int.TryParse(gid, NumberStyles.None, CultureInfo.InvariantCulture, out var g)
        && u > 0 && g > 0
            ? (u, g)
            : null;

    /// <summary>The command prefix that runs the rest of a command line as this user with no supplementary groups (empty when no drop is needed).</summary>
    public IReadOnlyList<string> Prefix =>
        Uid is { } uid ? [Setpriv, $"--reuid={uid}", $"--regid={Gid}", "--clear-groups", "--"] : [];

    /// <summary>Whether this user can open <paramref name="file"/> for reading, reaching it through its directories.</summary>
    public bool CanRead(string file) =>
        Uid is null || (CanTraverseTo(file) && FileStatus.Read(file) is { } status && Allows(status, UnixFileMode.UserRead, UnixFileMode.GroupRead, UnixFileMode.OtherRead));

    /// <summary>Whether this user has search permission on every directory above <paramref name="path"/>.</summary>
    public bool CanTraverseTo(string path)
    {
        if (Uid is null)
        {
            return true;
        }

        for (var directory = Path.GetDirectoryName(Path.GetFullPath(path)); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (FileStatus.Read(directory) is not { } status || !Allows(status, UnixFileMode.UserExecute, UnixFileMode.GroupExecute, UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Hands <paramref name="directory"/> (made 0700) to this user, so its worker can write there and nobody else can.</summary>
    public void Own(string directory)
    {
        if (Uid is { } uid)
        {
            FileStatus.ChangeOwner(directory, uid, Gid!.Value);
        }
    }

    /// <summary>Lets this user's group read <paramref name="file"/> (mode 0640), keeping its owner.</summary>
    public void GrantRead(string file)
    {
        if (Gid is { } gid)
        {
            FileStatus.ChangeOwner(file, -1, gid);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }
    }

    public override string ToString() => Uid is { } uid ? $"{uid}:{Gid}" : "the supervisor's own user";

    private bool Allows(FileStatus status, UnixFileMode owner, UnixFileMode group, UnixFileMode other) =>
        status.Uid == Uid ? status.Mode.HasFlag(owner)
        : status.Gid == Gid ? status.Mode.HasFlag(group)
        : status.Mode.HasFlag(other);
}
