namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// A fresh cgroup v2 directory, <c>ROOT/sandbox/tests-devices-GUID</c> (where scripts/test's leak
/// check looks), removed on dispose with anything still in it killed first (cgroup.kill, kernel 5.14+).
/// </summary>
public sealed class TemporaryCgroup2 : IDisposable
{
    public TemporaryCgroup2()
    {
        Name = $"/sandbox/tests-devices-{Guid.NewGuid():N}";
        Path = Directory.CreateDirectory(Cgroup2Hierarchy.Root + Name).FullName;
    }

    /// <summary>The cgroup as <c>/proc/PID/cgroup</c> shows it (<c>0::NAME</c>).</summary>
    public string Name { get; }

    public string Path { get; }

    /// <summary>Runs a command that joins this cgroup before it executes, as the launcher does with workers.</summary>
    public Task<ChildProcessResult> RunAsync(params string[] command) =>
        ChildProcess.RunAsync("/bin/sh", ["-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", Path, .. command], TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        // Every command is waited for, so this only matters when a test failed half-way; removal waits for the killed to be reaped.
        File.WriteAllText(System.IO.Path.Combine(Path, "cgroup.kill"), "1");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(Path);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(20);
            }
        }
    }
}
