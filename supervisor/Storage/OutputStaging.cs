using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Isolation.Identity;

namespace Sandbox.Supervisor.Storage;

/// <summary>
/// A private directory, next to a session's output, that is the only part of the host the worker
/// may write: the worker (as the worker user) writes its output there, and the supervisor moves
/// the finished file to its final name — a rename within one filesystem, so the output appears
/// whole or not at all. The directory (with the session's checkpoints) lives across the session's
/// workers and across supervisor restarts, and is removed when the session ends.
/// </summary>
internal sealed class OutputStaging : IDisposable
{
    private const string Prefix = ".sandbox-";

    private readonly string _ledgerEntry;

    private OutputStaging(string directory, string finalPath, string ledgerEntry)
    {
        Directory = directory;
        FinalPath = finalPath;
        _ledgerEntry = ledgerEntry;
    }

    /// <summary>The staging directory (<c>.sandbox-SESSION</c> beside the output), owned by the worker user.</summary>
    public string Directory { get; }

    public string FinalPath { get; }

    /// <summary>Where a session's checkpoints live: inside its staging directory, so only its worker can write them.</summary>
    public static string CheckpointDirectory(string finalPath, string sessionId) =>
        Path.Combine(Path.GetDirectoryName(finalPath)!, Prefix + sessionId, "checkpoints");

    /// <summary>The chunks and manifest a session asked to keep, beside its output once it is published.</summary>
    public static string KeptCheckpointDirectory(string finalPath) => finalPath + ".chunks";

    /// <summary>
    /// The session's staging directory: made, or the one an earlier run of the session left (its
    /// checkpoints are how a resumed session continues; the worker validates them).
    /// </summary>
    /// <param name="ledger">Where a link to the directory is kept while it exists (<see cref="StateDirectories.Staging"/>).</param>
    /// <exception cref="IOException">The directory cannot be made or handed to the worker user.</exception>
    public static OutputStaging Open(string finalPath, string sessionId, WorkerUser user, string ledger)
    {
        var directory = Path.Combine(Path.GetDirectoryName(finalPath)!, Prefix + sessionId);
        var entry = Path.Combine(ledger, sessionId);
        File.Delete(entry);
        File.CreateSymbolicLink(entry, directory);
        var staging = new OutputStaging(directory, finalPath, entry);
        try
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            user.Own(directory);
            return staging;
        }
        catch
        {
            staging.Dispose();
            throw;
        }
    }

    /// <summary>The worker's request, writing into the staging directory and allowed nowhere else.</summary>
    public TranscodeRequest Redirect(TranscodeRequest request)
    {
        var redirected = request.Clone();
        redirected.OutputPath = Path.Combine(Directory, Path.GetFileName(FinalPath));
        redirected.Policy.OutputRoots.Clear();
        redirected.Policy.OutputRoots.Add(Directory);
        return redirected;
    }

    /// <summary>
    /// Moves the worker's finished output to its final name (replacing an older file) and gives it to
    /// the supervisor's user. HLS <paramref name="segments"/> go beside it first, so the playlist never
    /// names a segment that is not there yet.
    /// </summary>
    public string Publish(string producedPath, IEnumerable<string> segments)
    {
        foreach (var segment in segments)
        {
            MoveOut(segment, Path.Combine(Path.GetDirectoryName(FinalPath)!, Path.GetFileName(segment)));
        }

        MoveOut(producedPath, FinalPath);
        return FinalPath;
    }

    /// <summary>Moves the session's kept checkpoints beside its output (replacing older ones), given to the supervisor's user.</summary>
    public void PublishCheckpoints(string checkpointDirectory)
    {
        var kept = KeptCheckpointDirectory(FinalPath);
        if (Path.GetDirectoryName(Path.GetFullPath(checkpointDirectory)) != Directory || !System.IO.Directory.Exists(checkpointDirectory))
        {
            return;
        }

        if (Environment.IsPrivilegedProcess)
        {
            foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(checkpointDirectory).Append(checkpointDirectory))
            {
                Worker.Interop.FileStatus.ChangeOwner(entry, 0, 0);
            }
        }

        Remove(kept);
        System.IO.Directory.Move(checkpointDirectory, kept);
    }

    private void MoveOut(string producedPath, string finalPath)
    {
        var produced = Path.GetFullPath(producedPath);
        if (Path.GetDirectoryName(produced) != Directory)
        {
            throw new IOException($"the worker reported a file at {producedPath}, outside its staging directory {Directory}");
        }

        if (Environment.IsPrivilegedProcess)
        {
            Worker.Interop.FileStatus.ChangeOwner(produced, 0, 0);
        }

        File.Move(produced, finalPath, overwrite: true);
    }

    /// <summary>Removes the directory: the session ended.</summary>
    public void Dispose()
    {
        Remove(Directory);
        File.Delete(_ledgerEntry);
    }

    /// <summary>
    /// Removes the staging directories a previous supervisor listed in <paramref name="ledger"/>,
    /// except those of <paramref name="resuming"/> sessions.
    /// </summary>
    public static void RemoveLeftovers(string ledger, IReadOnlySet<string> resuming)
    {
        foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(ledger).Where(e => !resuming.Contains(Path.GetFileName(e))))
        {
            // Only ever a directory this class named: a tampered ledger cannot make it delete anything else.
            if (new FileInfo(entry).LinkTarget is { } target && Path.GetFileName(target).StartsWith(Prefix, StringComparison.Ordinal))
            {
                Remove(target);
            }

            File.Delete(entry);
        }
    }

    private static void Remove(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never made, or already gone.
        }
    }
}
