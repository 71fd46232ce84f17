using System.Diagnostics;
using Sandbox.Supervisor.Isolation.Seccomp.Interop;

namespace Sandbox.Supervisor.Isolation.Seccomp;

/// <summary>
/// Finds which syscall got a worker killed by seccomp: the kernel logs each kill to <c>/dev/kmsg</c>
/// (when <c>/proc/sys/kernel/seccomp/actions_logged</c> holds <c>kill_process</c>, the default) with
/// the host pid and the syscall number. Started while the worker runs, it knows the worker's host pids
/// and reads only records logged after that moment, so a reused pid cannot match an old record.
/// </summary>
internal sealed class SeccompAudit : IDisposable
{
    /// <summary>SIGSYS, the signal seccomp kills with.</summary>
    public const int KillSignal = 31;

    /// <summary>How .NET (and bubblewrap, passing on its child's death) report a SIGSYS death: 128 + 31.</summary>
    public const int KilledExitCode = 128 + KillSignal;

    /// <summary>The kernel's audit thread may log the record just after the process is gone.</summary>
    public static readonly TimeSpan RecordWait = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly KernelLogHandle? _log;
    private readonly IReadOnlySet<int> _pids;

    private SeccompAudit(KernelLogHandle? log, IReadOnlySet<int> pids)
    {
        _log = log;
        _pids = pids;
    }

    /// <summary>Starts watching for kills of <paramref name="hostPids"/>; without a readable kernel log it will answer null.</summary>
    public static SeccompAudit Start(IReadOnlySet<int> hostPids) => new(KernelLogHandle.OpenAtEnd(), hostPids);

    /// <summary>The name (or <c>syscall N</c>) of the syscall that got one of the pids killed, or null when no record says so within <paramref name="wait"/>.</summary>
    public async Task<string?> FindKilledSyscallAsync(TimeSpan wait)
    {
        if (_log is null)
        {
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                while (_log.ReadRecord() is { } line)
                {
                    if (SeccompAuditRecord.Parse(line) is { Signal: KillSignal } record && _pids.Contains(record.Pid))
                    {
                        return LibSeccomp.SyscallName(record.Architecture, record.Syscall) ?? $"syscall {record.Syscall}";
                    }
                }
            }
            catch (IOException)
            {
                return null;
            }

            if (Stopwatch.GetElapsedTime(started) >= wait)
            {
                return null;
            }

            await Task.Delay(PollInterval);
        }
    }

    public void Dispose() => _log?.Dispose();
}
