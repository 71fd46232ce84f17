using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>Profiles as data: the shipped ones load and mean what they say; bad ones are refused naming file, field and problem.</summary>
public sealed class ProfileLoaderTests : IDisposable
{
    private static readonly string Shipped = ShippedProfiles.Directory;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_shipped_profiles_load()
    {
        var profiles = ProfileLoader.Load(Shipped);

        Assert.Equal(["default", "gpu-nvidia", "gpu-vaapi", "strict"], profiles.Keys.Order());
    }

    [Fact]
    public void The_default_profile_allows_unix_sockets_only_and_answers_clone3_with_enosys()
    {
        var seccomp = ProfileLoader.Load(Shipped)["default"].Seccomp!;

        Assert.Equal("SCMP_ACT_ERRNO", seccomp.DefaultAction);
        var socket = Assert.Single(seccomp.Syscalls!, r => r.Names!.Contains("socket"));
        Assert.Equal((0u, 1ul, "SCMP_CMP_EQ"), (socket.Args![0].Index, socket.Args[0].Value, socket.Args[0].Op));
        var clone3 = Assert.Single(seccomp.Syscalls!, r => r.Names!.Contains("clone3"));
        Assert.Equal(("SCMP_ACT_ERRNO", 38), (clone3.Action, clone3.ErrnoRet));
    }

    [Fact]
    public void Strict_refines_default_tighter_limits_fewer_devices_and_overridden_syscalls()
    {
        var profiles = ProfileLoader.Load(Shipped);
        var strict = profiles["strict"];

        Assert.Equal(48, strict.Limits!.PidsMax);
        Assert.True(strict.Limits.WallClock < profiles["default"].Limits!.WallClock);
        Assert.Equal(["/dev/null", "/dev/urandom"], strict.Devices!.Select(d => d.Path));
        Assert.Empty(strict.Filesystem!.Tmpfs!);
        Assert.Equal(profiles["default"].Filesystem!.ReadOnly, strict.Filesystem.ReadOnly);
        var inotify = Assert.Single(strict.Seccomp!.Syscalls!, r => r.Names!.Contains("inotify_init1"));
        Assert.Equal("SCMP_ACT_ERRNO", inotify.Action);
        Assert.Contains(strict.Seccomp.Syscalls!, r => r.Names!.Contains("read") && r.Action == "SCMP_ACT_ALLOW");
        Assert.Equal(profiles["default"].Lockdown, strict.Lockdown);
    }

    [Theory]
    [InlineData("gpu-nvidia", "/dev/nvidiactl", 195, 255)]
    [InlineData("gpu-nvidia", "/dev/nvidia0", 195, 0)]
    [InlineData("gpu-vaapi", "/dev/dri/renderD128", 226, 128)]
    public void Gpu_profiles_grant_their_device_nodes(string profile, string path, int major, int minor)
    {
        var device = Assert.Single(ProfileLoader.Load(Shipped)[profile].Devices!, d => d.Path == path);

        Assert.Equal(("c", major, minor, "rw"), (device.Type, device.Major, device.Minor, device.Access));
    }

    [Theory]
    [InlineData("""{ "limits": { "memoryMaxx": "1GiB" } }""", "bad.json: limits.memoryMaxx:")]
    [InlineData("""{ "extends": "default", "limits": { "pidsMax": 8 } }""", "bad.json: limits.pidsMax: 8 is out of range")]
    [InlineData("""{ "extends": "default", "limits": { "memoryHigh": "3GiB" } }""", "bad.json: limits.memoryHigh: 3GiB is above memoryMax")]
    [InlineData("""{ "extends": "default", "limits": { "memoryMax": "lots" } }""", "bad.json: limits.memoryMax: 'lots' is not a size")]
    [InlineData("""{ "extends": "default", "limits": { "cpuMax": "half" } }""", "bad.json: limits.cpuMax:")]
    [InlineData("""{ "extends": "default", "seccomp": { "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_MAYBE" } ] } }""", "bad.json: seccomp.syscalls[0].action: 'SCMP_ACT_MAYBE'")]
    [InlineData("""{ "extends": "default", "seccomp": { "syscalls": [ { "names": ["Read!"], "action": "SCMP_ACT_ALLOW" } ] } }""", "bad.json: seccomp.syscalls[0].names: 'Read!' is not a syscall name")]
    [InlineData("""{ "extends": "default", "seccomp": { "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ERRNO" } ] } }""", "bad.json: seccomp.syscalls[0].errnoRet:")]
    [InlineData("""{ "extends": "default", "seccomp": { "syscalls": [ { "names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 7, "value": 1, "op": "SCMP_CMP_EQ" } ] } ] } }""", "bad.json: seccomp.syscalls[0].args[0].index: 7")]
    [InlineData("""{ "extends": "default", "devices": [ { "type": "x", "major": 1, "minor": 3, "access": "rw", "path": "/dev/null" } ] }""", "bad.json: devices[0].type: 'x'")]
    [InlineData("""{ "extends": "default", "devices": [ { "type": "c", "major": 1, "minor": 3, "access": "rwx", "path": "/dev/null" } ] }""", "bad.json: devices[0].access: 'rwx'")]
    [InlineData("""{ "extends": "default", "devices": [ { "type": "c", "major": 1, "minor": 3, "access": "rw", "path": "/etc/passwd" } ] }""", "bad.json: devices[0].path: '/etc/passwd'")]
    [InlineData("""{ "extends": "default", "filesystem": { "readOnly": [ "relative/lib" ] } }""", "bad.json: filesystem.readOnly[0]: 'relative/lib'")]
    [InlineData("""{ "extends": "nowhere" }""", "bad.json: extends: no profile is named 'nowhere'")]
    [InlineData("""{ "name": "other", "extends": "default" }""", "bad.json: name: 'other' differs from the file name 'bad'")]
    [InlineData("""{ "extends": "default", "description": "" }""", "bad.json: description: is required")]
    [InlineData("""{ not json""", "bad.json:")]
    public void A_bad_profile_is_refused_naming_file_field_and_problem(string json, string expected)
    {
        File.Copy(Path.Combine(Shipped, "default.json"), _directory.File("default.json"));
        File.WriteAllText(_directory.File("bad.json"), json);

        var error = Assert.Throws<ProfileException>(() => ProfileLoader.Load(_directory.Path));

        Assert.Contains(error.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void An_extends_cycle_is_refused()
    {
        File.WriteAllText(_directory.File("a.json"), """{ "extends": "b" }""");
        File.WriteAllText(_directory.File("b.json"), """{ "extends": "a" }""");

        var error = Assert.Throws<ProfileException>(() => ProfileLoader.Load(_directory.Path));

        Assert.Contains(error.Problems, p => p.Contains("leads back to", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_directory_is_refused() =>
        Assert.Throws<ProfileException>(() => ProfileLoader.Load(_directory.File("absent")));
}
