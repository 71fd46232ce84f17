using System.Globalization;
using System.Text;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// Finds worker processes through /proc. Each test's supervisor has its own state directory, and a
/// worker's command line names its socket inside it, so the directory identifies exactly the
/// workers that supervisor started — never another test's, another run's or a developer's.
/// </summary>
public static class WorkerProcesses
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Live <c>sandbox-worker</c> processes whose command line contains <paramref name="stateDirectory"/>.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> Find(string stateDirectory)
    {
        var found = new List<(int, string)>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string commandLine;
            try
            {
                // Arguments are NUL-separated; a zombie's command line is empty, so it never matches.
                commandLine = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(entry, "cmdline"))).Replace('\0', ' ').Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // exited while we looked
            }

            if (commandLine.Contains("sandbox-worker", StringComparison.Ordinal) && commandLine.Contains(stateDirectory, StringComparison.Ordinal))
            {
                found.Add((pid, commandLine));
            }
        }

        return found;
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for those workers to be gone — except the ones with an
    /// id in <paramref name="except"/> (idle warm workers) — and returns the ones still alive (empty on success).
    /// </summary>
    public static async Task<IReadOnlyList<(int Pid, string CommandLine)>> WaitUntilGoneAsync(string stateDirectory, TimeSpan timeout, IReadOnlyCollection<string>? except = null)
    {
        var end = DateTime.UtcNow + timeout;
        while (true)
        {
            var alive = Find(stateDirectory).Where(p => except is null || !except.Any(id => p.CommandLine.Contains(id, StringComparison.Ordinal))).ToList();
            if (alive.Count == 0 || DateTime.UtcNow >= end)
            {
                return alive;
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Whether a process with this pid exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state letter follows the parenthesised command name: "123 (dotnet) S …".
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
