using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.ChaosSuite;

/// <summary>
/// What a chaos run left behind once every session ended: each count must be zero. The idle warm
/// workers the supervisor lists as READY (with their cgroups, sockets and exchange directories) are
/// the pool's, not leaks.
/// </summary>
public static class ChaosLeaks
{
    public static async Task<IReadOnlyDictionary<string, int>> CountAsync(SupervisorProcess supervisor, string outputDirectory, IEnumerable<string> outputs)
    {
        var idle = (await supervisor.Operator.ListWorkersAsync(new ListWorkersRequest())).Workers
            .Where(w => w.State == WorkerState.WorkerReady).Select(w => w.Id).ToHashSet(StringComparer.Ordinal);
        var processes = await WorkerProcesses.WaitUntilGoneAsync(supervisor.StateDirectory, SupervisorProcess.WorkerExitTimeout, idle);
        var cgroups = HostCgroups.InstanceDirectory(supervisor.StateDirectory);
        var expected = outputs.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        int NotIdle(IEnumerable<string> entries) => entries.Count(e => !idle.Contains(Path.GetFileName(e)));
        var state = supervisor.StateDirectory;
        return new Dictionary<string, int>
        {
            ["worker processes"] = processes.Count,
            ["cgroups"] = Directory.Exists(cgroups) ? NotIdle(Directory.EnumerateDirectories(cgroups)) : 0,
            ["sockets"] = NotIdle(Directory.EnumerateFileSystemEntries(Path.Combine(state, "workers"))),
            ["exchange dirs"] = NotIdle(Directory.EnumerateFileSystemEntries(Path.Combine(state, "exchange"))),
            ["mounts"] = File.ReadLines("/proc/self/mountinfo").Count(l => l.Contains(state, StringComparison.Ordinal) && !idle.Any(id => l.Contains(id, StringComparison.Ordinal))),
            ["staging dirs"] = Directory.EnumerateFileSystemEntries(Path.Combine(state, "staging")).Count()
                + Directory.EnumerateDirectories(outputDirectory, ".sandbox-*").Count(),
            ["stray files"] = Directory.EnumerateFiles(outputDirectory).Count(f => !expected.Contains(Path.GetFileName(f))),
        };
    }
}
