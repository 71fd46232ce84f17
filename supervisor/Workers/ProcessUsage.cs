using Google.Protobuf.WellKnownTypes;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Workers;

/// <summary>Live resource use of a worker's processes from <c>/proc</c> (cgroup figures come with isolation).</summary>
internal static class ProcessUsage
{
    /// <summary>Resident memory and CPU time summed over <paramref name="pids"/> (a worker's process tree: bubblewrap and the worker under it).</summary>
    public static WorkerUsage Read(IEnumerable<int> pids)
    {
        var usage = new WorkerUsage();
        var cpu = TimeSpan.Zero;
        foreach (var pid in pids)
        {
            var (rss, time) = Read(pid);
            usage.RssBytes += rss;
            cpu += time;
        }

        usage.CpuTime = Duration.FromTimeSpan(cpu);
        return usage;
    }

    private static (long RssBytes, TimeSpan CpuTime) Read(int pid)
    {
        try
        {
            long rss = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
                }
            }

            // utime and stime are fields 14 and 15 of /proc/PID/stat, counted after the ")" ending the command name.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
            return (rss, TimeSpan.FromSeconds(ticks / 100.0));
        }
        catch (IOException)
        {
            return (0, TimeSpan.Zero); // the process has just exited
        }
    }
}
