using Sandbox.Supervisor.Isolation.Namespaces;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Isolation.Seccomp;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>
/// A small C program started in exactly the sandbox a worker gets (bubblewrap and the default
/// profile's compiled baseline filter) tries forbidden syscalls; each must fail with the errno
/// the profile says (EPERM by default), while what a worker needs still works.
/// </summary>
public sealed class SeccompTests : IDisposable
{
    private const string Probe = """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <sched.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/mount.h>
        #include <sys/ptrace.h>
        #include <sys/socket.h>
        #include <sys/syscall.h>
        #include <unistd.h>

        static void report(const char *name, long result) {
            printf("%s %s\n", name, result < 0 ? strerrorname_np(errno) : "ok");
        }

        int main(void) {
            report("socket_inet", socket(AF_INET, SOCK_STREAM, 0));
            report("socket_inet6", socket(AF_INET6, SOCK_DGRAM, 0));
            report("socket_unix", socket(AF_UNIX, SOCK_STREAM, 0));
            report("ptrace", ptrace(PTRACE_TRACEME, 0, 0, 0));
            report("mount", mount("none", "/tmp", "tmpfs", 0, 0));
            report("unshare", unshare(CLONE_NEWNET));
            report("bpf", syscall(SYS_bpf, 0, 0, 0));
            report("kexec_load", syscall(SYS_kexec_load, 0, 0, 0, 0));
            report("clone3", syscall(SYS_clone3, 0, 0));
            report("getpid", getpid());
            return 0;
        }
        """;

    private readonly TempDirectory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Forbidden_syscalls_fail_as_the_default_profile_says_and_needed_ones_work()
    {
        var results = await RunProbeAsync("default");

        Assert.Equal("EPERM", results["socket_inet"]);
        Assert.Equal("EPERM", results["socket_inet6"]);
        Assert.Equal("ok", results["socket_unix"]);
        Assert.Equal("EPERM", results["ptrace"]);
        Assert.Equal("EPERM", results["mount"]);
        Assert.Equal("EPERM", results["unshare"]);
        Assert.Equal("EPERM", results["bpf"]);
        Assert.Equal("EPERM", results["kexec_load"]);
        Assert.Equal("ENOSYS", results["clone3"]);
        Assert.Equal("ok", results["getpid"]);
    }

    private async Task<Dictionary<string, string>> RunProbeAsync(string profileName)
    {
        var programs = _host.Subdirectory("programs");
        var probe = Path.Combine(programs, "probe");
        await File.WriteAllTextAsync(probe + ".c", Probe);
        var compile = await ChildProcess.RunAsync("gcc", ["-o", probe, probe + ".c"], TimeSpan.FromSeconds(60));
        Assert.True(compile.ExitCode == 0, compile.StandardError);

        var profiles = ShippedProfiles.Load();
        var profile = profiles[profileName];
        var filter = _host.File($"{profileName}.bpf");
        SeccompCompiler.Compile(profileName, profile.Seccomp!, filter);
        var input = _host.File("input");
        await File.WriteAllTextAsync(input, "");
        var view = new SandboxView([programs], _host.Subdirectory("socket"), input, _host.Subdirectory("out"));
        var command = Bubblewrap.Wrap(profile, view, new Dictionary<string, string>(), [probe], SeccompPrograms.Descriptor);

        var result = await ChildProcess.RunAsync(
            "/bin/sh", ["-c", $"exec \"$0\" \"$@\" {SeccompPrograms.Descriptor}< '{filter}'", .. command], TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, $"probe exited {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
    }
}
