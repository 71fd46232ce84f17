using System.Diagnostics;
using Sandbox.Supervisor.Isolation.Seccomp;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>
/// SeccompAudit against the real kernel log: a probe that seccomp kills for <c>getppid</c> is named
/// by its pid, and the kill is not attributed to other pids. The probe waits for a line on stdin so
/// that the audit starts reading the log before the kill, as it does for a running worker.
/// </summary>
public sealed class SeccompAuditTests : IDisposable
{
    private const string Probe = """
        #include <seccomp.h>
        #include <stdio.h>
        #include <unistd.h>

        int main(void) {
            scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
            if (!filter || seccomp_rule_add(filter, SCMP_ACT_KILL_PROCESS, SCMP_SYS(getppid), 0) || seccomp_load(filter)) return 2;
            char line[8];
            if (!fgets(line, sizeof line, stdin)) return 3;
            getppid();
            return 0;
        }
        """;

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_syscall_that_got_a_process_killed_is_named_for_its_pid_only()
    {
        var probe = await CompileProbeAsync();
        using var process = Process.Start(new ProcessStartInfo(probe) { RedirectStandardInput = true }) ?? throw new InvalidOperationException("probe did not start");
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        using var killed = SeccompAudit.Start(new HashSet<int> { process.Id });
        using var other = SeccompAudit.Start(new HashSet<int> { process.Id + 1 });
        try
        {
            await process.StandardInput.WriteLineAsync("go");
            await process.StandardInput.FlushAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            process.Kill();
        }

        Assert.Equal(SeccompAudit.KilledExitCode, process.ExitCode);
        Assert.Equal("getppid", await killed.FindKilledSyscallAsync(SeccompAudit.RecordWait));
        Assert.Null(await other.FindKilledSyscallAsync(TimeSpan.FromMilliseconds(200)));
    }

    private async Task<string> CompileProbeAsync()
    {
        var probe = _directory.File("probe");
        await File.WriteAllTextAsync(probe + ".c", Probe);
        var compile = await ChildProcess.RunAsync("gcc", ["-o", probe, probe + ".c", "-lseccomp"], TimeSpan.FromSeconds(60));
        Assert.True(compile.ExitCode == 0, compile.StandardError);
        return probe;
    }
}
