using Sandbox.Supervisor.Isolation.Seccomp;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>Seccomp kill records as the kernel writes them to /dev/kmsg, including ones a compromised worker tries to forge.</summary>
public sealed class SeccompAuditRecordTests
{
    private const string Kill =
        "5,1154,8882089359,-;audit: type=1326 audit(1795479459.458:4): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=18042 comm=\"sandbox-worker\" "
        + "exe=\"/opt/sandbox/sandbox-worker\" sig=31 arch=c000003e syscall=59 compat=0 ip=0x7f00d817a4f7 code=0x80000000\n";

    [Fact]
    public void A_kill_record_gives_pid_signal_architecture_and_syscall() =>
        Assert.Equal(new SeccompAuditRecord(18042, 31, 0xc000003e, 59), SeccompAuditRecord.Parse(Kill));

    [Fact]
    public void A_record_without_the_kmsg_prefix_parses_too() =>
        Assert.Equal(59, SeccompAuditRecord.Parse(Kill[(Kill.IndexOf(';', StringComparison.Ordinal) + 1)..])?.Syscall);

    [Fact]
    public void An_errno_or_log_action_has_signal_zero() =>
        Assert.Equal(0, SeccompAuditRecord.Parse(Kill.Replace("sig=31", "sig=0", StringComparison.Ordinal).Replace("code=0x80000000", "code=0x50001", StringComparison.Ordinal))?.Signal);

    [Theory]
    [InlineData("6,1,2,-;audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" pid=5 comm=\"x\"")]
    [InlineData("6,1,2,-;Linux version 6.1.0")]
    [InlineData("6,1,2,-;audit: type=1326 audit(1.2:3): pid=abc sig=31 arch=c000003e syscall=59")]
    [InlineData("6,1,2,-;audit: type=1326 audit(1.2:3): pid=5 sig=31 arch=c000003e")]
    [InlineData("")]
    public void Other_and_malformed_lines_are_not_records(string line) => Assert.Null(SeccompAuditRecord.Parse(line));

    [Fact]
    public void A_thread_name_posing_as_fields_cannot_change_the_record()
    {
        // The kernel hex-encodes a comm holding spaces or quotes; one without them is a single token.
        var forged = Kill.Replace("comm=\"sandbox-worker\"", "comm=\"syscall=101\"", StringComparison.Ordinal);
        var hex = Kill.Replace("comm=\"sandbox-worker\"", "comm=7069643D31207379736361C6C3D313031", StringComparison.Ordinal);

        Assert.Equal(59, SeccompAuditRecord.Parse(forged)?.Syscall);
        Assert.Equal(18042, SeccompAuditRecord.Parse(hex)?.Pid);
    }

    [Fact]
    public void Continuation_lines_are_ignored() =>
        Assert.Equal(18042, SeccompAuditRecord.Parse(Kill + " SUBSYSTEM=audit\n pid=1\n")?.Pid);
}
