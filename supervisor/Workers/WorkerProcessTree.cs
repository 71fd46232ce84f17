using System.Globalization;
using Sandbox.Supervisor.Isolation.Cgroups;

namespace Sandbox.Supervisor.Workers;

/// <summary>
/// The host pids of a running worker: the process the supervisor started (a shell that became
/// bubblewrap, or the worker itself), its descendants (bubblewrap's init and the worker in its pid
/// namespace) and whatever its cgroup holds. The kernel names a seccomp-killed process by these.
/// </summary>
internal static class WorkerProcessTree
{
    public static IReadOnlySet<int> Snapshot(int rootPid, IWorkerCgroup cgroup)
    {
        var pids = new HashSet<int>();
        var pending = new Stack<int>([rootPid]);
        while (pending.TryPop(out var pid))
        {
            if (pids.Add(pid))
            {
                foreach (var child in Children(pid))
                {
                    pending.Push(child);
                }
            }
        }

        foreach (var file in cgroup.ProcsFiles)
        {
            pids.UnionWith(Pids(Read(file)));
        }

        return pids;
    }

    /// <summary>Children of every thread of <paramref name="pid"/> (<c>/proc/PID/task/TID/children</c>).</summary>
    private static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return []; // exited meanwhile
        }

        return tasks.SelectMany(task => Pids(Read(Path.Combine(task, "children"))));
    }

    private static string Read(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static IEnumerable<int> Pids(string text) =>
        text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);
}
