using Sandbox.Supervisor.Isolation.Identity;
using Sandbox.Supervisor.Isolation.Namespaces;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>
/// The sandbox a worker gets, tried from the inside: a shell is started in exactly the view a
/// worker would get (same profile, same bubblewrap command) and attempts each escape.
/// </summary>
public sealed class NamespaceTests : IDisposable
{
    private readonly TempDirectory _host = new();
    private readonly string _input;
    private readonly string _output;
    private readonly string _sockets;

    public NamespaceTests()
    {
        _input = _host.File("input.mp4");
        File.WriteAllText(_input, "not really media");
        _output = _host.Subdirectory("out");
        Worker.Own(_output);
        _sockets = _host.Subdirectory("socket");
        File.WriteAllText(_host.File("secret.txt"), "the supervisor's own file");
    }

    /// <summary>As the launcher does: the shell runs as the unprivileged worker user, which owns only its output directory.</summary>
    private static WorkerUser Worker { get; } = WorkerUser.FromSetting("65534:65534", supervisorIsRoot: true);

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Dev_holds_only_the_profiles_devices()
    {
        var result = await InSandboxAsync("ls -A /dev; head -c 4 /dev/zero | od -An -tx1; cat /dev/full; id -u");

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["fd", "null", "stderr", "stdin", "stdout", "urandom", "zero"], lines[..7]);
        Assert.Equal("00 00 00 00", lines[7].Trim());
        Assert.Equal("65534", lines[8]);
        Assert.Contains("/dev/full: No such file or directory", result.StandardError);
    }

    [Fact]
    public async Task Host_files_outside_the_view_are_not_there()
    {
        var result = await InSandboxAsync($"cat /etc/passwd; cat {_host.File("secret.txt")}; ls /root /home /var /work 2>&1 | head -5");

        Assert.DoesNotContain("root:x:0:0", result.StandardOutput);
        Assert.DoesNotContain("the supervisor's own file", result.StandardOutput);
        Assert.Contains("/etc/passwd: No such file or directory", result.StandardError);
        Assert.Contains("secret.txt: No such file or directory", result.StandardError);
    }

    [Fact]
    public async Task Only_the_output_directory_reaches_the_host_and_the_input_is_read_only()
    {
        // Next to the output directory lies the sandbox's private /tmp: a write there stays in the sandbox.
        var result = await InSandboxAsync(
            $"echo x > {_output}/written && echo output-ok; echo x > /usr/escape || echo usr-refused; echo x > {_input} || echo input-refused; echo x > {_host.File("escape")}");

        Assert.Contains("output-ok", result.StandardOutput);
        Assert.Contains("usr-refused", result.StandardOutput);
        Assert.Contains("input-refused", result.StandardOutput);
        Assert.True(File.Exists(Path.Combine(_output, "written")));
        Assert.False(File.Exists(_host.File("escape")));
        Assert.Equal("not really media", await File.ReadAllTextAsync(_input));
    }

    [Fact]
    public async Task There_is_no_network_but_loopback()
    {
        var result = await InSandboxAsync("cat /proc/net/dev");

        var interfaces = result.StandardOutput.Split('\n').Where(l => l.Contains(':', StringComparison.Ordinal)).Select(l => l.Split(':')[0].Trim()).ToList();
        Assert.Equal(["lo"], interfaces);
    }

    [Fact]
    public async Task Processes_and_environment_are_the_sandboxs_own()
    {
        var result = await InSandboxAsync("echo pid=$$; ls /proc | grep -c '^[0-9]'; env | sort");

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(int.Parse(lines[0]["pid=".Length..]) < 10, $"the shell is pid {lines[0]}: not a fresh pid namespace");
        Assert.True(int.Parse(lines[1]) < 10, $"{lines[1]} processes visible: the host's are showing");
        Assert.DoesNotContain(lines, l => l.StartsWith("HOME=", StringComparison.Ordinal) || l.StartsWith("SSH_", StringComparison.Ordinal));
        Assert.Contains("DOTNET_EnableDiagnostics=0", lines);
    }

    private async Task<ChildProcessResult> InSandboxAsync(string script)
    {
        var profile = ShippedProfiles.Load()["default"];
        var view = new SandboxView([], _sockets, _input, _output);
        var environment = new Dictionary<string, string>(profile.Environment!);
        IReadOnlyList<string> command = [.. Worker.Prefix, .. Bubblewrap.Wrap(profile, view, environment, ["/bin/sh", "-c", script])];
        return await ChildProcess.RunAsync(command[0], command.Skip(1), TimeSpan.FromSeconds(30));
    }
}
