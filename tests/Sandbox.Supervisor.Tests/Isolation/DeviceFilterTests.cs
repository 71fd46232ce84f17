using Sandbox.Supervisor.Isolation.Devices;
using Sandbox.Supervisor.Isolation.Devices.Interop;
using Sandbox.Supervisor.Tests.Infrastructure;
using static Sandbox.Supervisor.Tests.Infrastructure.DeviceAllowlist;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>
/// The cgroup v2 device allowlist in the real kernel: a program attached to a fresh cgroup2
/// directory decides what a process that joined it (before it executed, as workers do) may open
/// or create. On the hybrid build hosts the cgroup2 mount has no controllers, but device programs
/// attach to its directories and are enforced. Devices used: /dev/null 1:3, /dev/zero 1:5, /dev/full 1:7.
/// </summary>
public sealed class DeviceFilterTests : IDisposable
{
    private const string Denied = "Operation not permitted";

    private readonly TemporaryCgroup2 _cgroup = new();

    public void Dispose() => _cgroup.Dispose();

    [Cgroup2Fact]
    public async Task Only_dev_devNullopens_when_it_is_all_the_allowlist_names()
    {
        DeviceFilter.Attach(_cgroup.Path, Parse("c 1:3 rwm"));

        var self = await _cgroup.RunAsync("cat", "/proc/self/cgroup");
        var devNull = await _cgroup.RunAsync("head", "-c", "1", "/dev/null");
        var zero = await _cgroup.RunAsync("head", "-c", "1", "/dev/zero");

        Assert.Contains($"0::{_cgroup.Name}", self.StandardOutput.Split('\n'));
        Assert.Equal((0, ""), (devNull.ExitCode, devNull.StandardError));
        Assert.NotEqual(0, zero.ExitCode);
        Assert.Contains($"'/dev/zero' for reading: {Denied}", zero.StandardError, StringComparison.Ordinal);
    }

    [Cgroup2Fact]
    public async Task Dev_zero_opens_once_the_allowlist_names_it()
    {
        DeviceFilter.Attach(_cgroup.Path, Parse("c 1:3 rwm, c 1:5 rwm"));

        var zero = await _cgroup.RunAsync("head", "-c", "1", "/dev/zero");

        Assert.Equal((0, "\0", ""), (zero.ExitCode, zero.StandardOutput, zero.StandardError));
    }

    [Cgroup2Theory]
    [InlineData("c 1:* rwm", "/dev/null /dev/zero /dev/full", "")]
    [InlineData("c *:5 rw", "/dev/zero", "/dev/null /dev/full")]
    [InlineData("a 1:* rw", "/dev/null /dev/zero /dev/full", "")]
    [InlineData("b *:* rwm", "", "/dev/null /dev/zero /dev/full")]
    [InlineData("c 1:3 rw, c 1:7 rw", "/dev/null /dev/full", "/dev/zero")]
    public async Task Wildcards_match_any_major_or_minor_but_not_the_other_type(string allowlist, string opens, string refused)
    {
        DeviceFilter.Attach(_cgroup.Path, Parse(allowlist));

        foreach (var device in opens.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var result = await _cgroup.RunAsync("head", "-c", "1", device);
            Assert.True(result.ExitCode == 0, $"{allowlist}: {device} should open: {result.StandardError}");
        }

        foreach (var device in refused.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var result = await _cgroup.RunAsync("head", "-c", "1", device);
            Assert.True(result.ExitCode != 0 && result.StandardError.Contains(Denied, StringComparison.Ordinal), $"{allowlist}: {device} should be refused, got exit {result.ExitCode}: {result.StandardError}");
        }
    }

    [Cgroup2Fact]
    public async Task Access_letters_allow_reading_writing_and_mknod_separately()
    {
        using var nodes = new TempDirectory();
        DeviceFilter.Attach(_cgroup.Path, Parse("c 1:5 r, c 1:7 m"));

        var read = await _cgroup.RunAsync("head", "-c", "1", "/dev/zero");
        var write = await _cgroup.RunAsync("sh", "-c", ": > /dev/zero");
        var mknodZero = await _cgroup.RunAsync("mknod", nodes.File("zero"), "c", "1", "5");
        var mknodFull = await _cgroup.RunAsync("mknod", nodes.File("full"), "c", "1", "7");
        var readFull = await _cgroup.RunAsync("head", "-c", "1", nodes.File("full"));

        Assert.Equal(0, read.ExitCode);
        Assert.Contains($"/dev/zero: {Denied}", write.StandardError, StringComparison.Ordinal);
        Assert.Contains(Denied, mknodZero.StandardError, StringComparison.Ordinal);
        Assert.Equal((0, ""), (mknodFull.ExitCode, mknodFull.StandardError));
        Assert.Contains(Denied, readFull.StandardError, StringComparison.Ordinal);
    }

    [Cgroup2Fact]
    public async Task The_program_stays_attached_after_its_fd_is_closed_and_a_second_one_can_only_narrow()
    {
        DeviceFilter.Attach(_cgroup.Path, Parse("c 1:3 rw, c 1:5 rw"));
        Assert.Equal(1, DeviceFilter.CountAttached(_cgroup.Path));

        DeviceFilter.Attach(_cgroup.Path, Parse("c 1:3 rw, c 1:7 rw"));
        Assert.Equal(2, DeviceFilter.CountAttached(_cgroup.Path));

        // Both programs must allow: /dev/null is in both lists, /dev/zero and /dev/full in one each.
        Assert.Equal(0, (await _cgroup.RunAsync("head", "-c", "1", "/dev/null")).ExitCode);
        Assert.Contains(Denied, (await _cgroup.RunAsync("head", "-c", "1", "/dev/zero")).StandardError, StringComparison.Ordinal);
        Assert.Contains(Denied, (await _cgroup.RunAsync("head", "-c", "1", "/dev/full")).StandardError, StringComparison.Ordinal);
    }

    [Cgroup2Fact]
    public void A_malformed_rule_is_refused_before_anything_is_attached()
    {
        var refused = Assert.Throws<ArgumentException>(() => DeviceFilter.Attach(_cgroup.Path, [Rule("c", 1, 3, "rw"), Rule("c", 1, 5, "rwx")]));

        Assert.Equal("devices[1] (c 1:5 rwx): access 'rwx' is not a non-empty subset of rwm", refused.Message);
        Assert.Equal(0, DeviceFilter.CountAttached(_cgroup.Path));
    }

    [Cgroup2Fact]
    public void Attaching_to_a_missing_cgroup_names_the_path_and_errno()
    {
        var missing = Path.Combine(_cgroup.Path, "missing");

        var refused = Assert.Throws<DeviceFilterException>(() => DeviceFilter.Attach(missing, Parse("c 1:3 rw")));

        Assert.Equal($"cannot open cgroup directory {missing}: errno 2 (No such file or directory)", refused.Message);
    }

    [Cgroup2Fact]
    public void Attaching_to_a_directory_outside_cgroup2_names_the_path_and_errno()
    {
        using var plain = new TempDirectory();

        var refused = Assert.Throws<DeviceFilterException>(() => DeviceFilter.Attach(plain.Path, Parse("c 1:3 rw")));

        Assert.StartsWith($"BPF_PROG_ATTACH of the device filter to {plain.Path} failed: errno {refused.Errno} (", refused.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.Errno);
    }

    [Cgroup2Fact]
    public void A_program_the_verifier_refuses_fails_with_the_verifiers_log()
    {
        // Returns without setting R0, which the verifier rejects.
        var refused = Assert.Throws<DeviceFilterException>(() => BpfProgramHandle.LoadDeviceFilter(BpfInstruction.Encode([BpfInstruction.Exit()])));

        Assert.StartsWith("BPF_PROG_LOAD of a cgroup device filter (1 instructions) failed: errno 13 (Permission denied)\nverifier log:\n", refused.Message, StringComparison.Ordinal);
        Assert.Contains("R0 !read_ok", refused.Message, StringComparison.Ordinal);
    }
}
