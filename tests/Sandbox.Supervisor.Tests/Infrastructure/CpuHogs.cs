using System.Diagnostics;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// Busy loops that keep the host's CPUs saturated while a test runs, as a loaded CI machine or an
/// overloaded node would; disposing it kills them and waits until they are gone.
/// </summary>
public sealed class CpuHogs : IDisposable
{
    private readonly List<Process> _loops;

    private CpuHogs(List<Process> loops) => _loops = loops;

    public int Count => _loops.Count;

    public static CpuHogs Start(int count)
    {
        var loops = new List<Process>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                loops.Add(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })
                    ?? throw new InvalidOperationException("/bin/sh did not start"));
            }

            return new CpuHogs(loops);
        }
        catch
        {
            new CpuHogs(loops).Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Kill();
            loop.WaitForExit();
            loop.Dispose();
        }
    }
}
