using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Isolation.Cgroups;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Isolation;

/// <summary>
/// The limits a worker's cgroup enforces, tried by a shell that joins a cgroup made by the driver
/// this host uses (v1 here, v2 in the cgroup v2 runner) the way the launcher places a worker:
/// its own pid into <c>cgroup.procs</c>, then the escape attempt.
/// </summary>
public sealed class CgroupLimitTests : IDisposable
{
    private readonly TempDirectory _state = new();
    private readonly ICgroupDriver _driver;
    private readonly List<IWorkerCgroup> _cgroups = [];

    public CgroupLimitTests()
    {
        _driver = CgroupProbe.Choose(Options.Create(new SupervisorOptions { StateDirectory = _state.Path }), NullLogger.Instance);
    }

    private static SandboxProfile Default { get; } = ShippedProfiles.Load()["default"];

    public void Dispose()
    {
        foreach (var cgroup in _cgroups)
        {
            cgroup.Destroy();
        }

        (_driver as IDisposable)?.Dispose();
        _state.Dispose();
    }

    [CgroupFact]
    public async Task A_fork_bomb_stops_at_pids_max()
    {
        var cgroup = Create(Default with { Limits = Default.Limits! with { PidsMax = 16 } });

        // Each sleep keeps its pid; dash gives up with "Cannot fork" when the cgroup refuses one more.
        var result = await InCgroupAsync(cgroup, "while true; do sleep 30 >/dev/null 2>&1 & done");

        Assert.Contains("Cannot fork", result.StandardError, StringComparison.Ordinal);
        var usage = cgroup.ReadUsage();
        Assert.Equal(16, usage.PidsMax);
        Assert.InRange(usage.PidsCurrent, 10, 16);
    }

    [CgroupFact]
    public async Task Only_the_profiles_devices_can_be_opened()
    {
        var cgroup = Create(Default with { Devices = [new DeviceRule { Type = "c", Major = 1, Minor = 3, Access = "rw", Path = "/dev/null" }] });

        var result = await InCgroupAsync(cgroup, "echo x > /dev/null && echo null-ok; head -c 1 /dev/zero > /dev/null && echo zero-ok");

        Assert.Contains("null-ok", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("zero-ok", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("cannot open '/dev/zero' for reading: Operation not permitted", result.StandardError, StringComparison.Ordinal);
    }

    private IWorkerCgroup Create(SandboxProfile profile)
    {
        var cgroup = _driver.Create($"w-test{Guid.NewGuid():N}"[..14], profile);
        _cgroups.Add(cgroup);
        return cgroup;
    }

    private static Task<ChildProcessResult> InCgroupAsync(IWorkerCgroup cgroup, string script)
    {
        var join = string.Join(" && ", cgroup.ProcsFiles.Select(f => $"echo $$ > '{f}'"));
        return ChildProcess.RunAsync("/bin/sh", ["-c", $"{join} && {{ {script}; }}"], TimeSpan.FromSeconds(30));
    }
}
