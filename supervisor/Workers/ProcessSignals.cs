using System.Runtime.InteropServices;

namespace Sandbox.Supervisor.Workers;

/// <summary>Signals sent to a worker's processes by pid (the Chaos service freezes a worker with SIGSTOP; kills are SIGKILL to all of them at once).</summary>
internal static partial class ProcessSignals
{
    public const int SIGKILL = 9;

    public const int SIGSTOP = 19;

    /// <summary>Sends <paramref name="signal"/> to every process in <paramref name="pids"/>; ones already gone are skipped.</summary>
    public static void Send(IEnumerable<int> pids, int signal)
    {
        foreach (var pid in pids)
        {
            // ESRCH (gone meanwhile) is fine: there is nothing left to signal.
            _ = kill(pid, signal);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
