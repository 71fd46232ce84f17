using Google.Protobuf.WellKnownTypes;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Workers;

/// <summary>Live resource use of a process from <c>/proc</c> (cgroup figures come with isolation).</summary>
internal static class ProcessUsage
{
    public static WorkerUsage Read(int pid)
    {
        var usage = new WorkerUsage();
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    usage.RssBytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
                }
            }

            // utime and stime are fields 14 and 15 of /proc/PID/stat, counted after the ")" ending the command name.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
            usage.CpuTime = Duration.FromTimeSpan(TimeSpan.FromSeconds(ticks / 100.0));
        }
        catch (IOException)
        {
            // The process has just exited.
        }

        return usage;
    }
}
