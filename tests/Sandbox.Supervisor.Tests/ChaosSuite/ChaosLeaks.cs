using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.ChaosSuite;

/// <summary>What a chaos run left behind once every session ended: each count must be zero.</summary>
public static class ChaosLeaks
{
    public static async Task<IReadOnlyDictionary<string, int>> CountAsync(SupervisorProcess supervisor, string outputDirectory, IEnumerable<string> outputs)
    {
        var processes = await WorkerProcesses.WaitUntilGoneAsync(supervisor.StateDirectory, SupervisorProcess.WorkerExitTimeout);
        var cgroups = HostCgroups.InstanceDirectory(supervisor.StateDirectory);
        var expected = outputs.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        return new Dictionary<string, int>
        {
            ["worker processes"] = processes.Count,
            ["cgroups"] = Directory.Exists(cgroups) ? Directory.EnumerateDirectories(cgroups).Count() : 0,
            ["sockets"] = Directory.EnumerateFileSystemEntries(Path.Combine(supervisor.StateDirectory, "workers")).Count(),
            ["staging dirs"] = Directory.EnumerateFileSystemEntries(Path.Combine(supervisor.StateDirectory, "staging")).Count()
                + Directory.EnumerateDirectories(outputDirectory, ".sandbox-*").Count(),
            ["stray files"] = Directory.EnumerateFiles(outputDirectory).Count(f => !expected.Contains(Path.GetFileName(f))),
        };
    }
}
