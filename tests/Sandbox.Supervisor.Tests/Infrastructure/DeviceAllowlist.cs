using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>Device rules written as cgroup v1 writes them to devices.allow, for tests: <c>"c 1:3 rw, b *:* r"</c>.</summary>
public static class DeviceAllowlist
{
    public static DeviceRule[] Parse(string allowlist) =>
    [
        .. allowlist.Split(", ", StringSplitOptions.RemoveEmptyEntries).Select(rule => rule.Split(' ', ':') is [var type, var major, var minor, var access]
            ? Rule(type, major == "*" ? null : int.Parse(major), minor == "*" ? -1 : int.Parse(minor), access)
            : throw new ArgumentException($"'{rule}' is not 'TYPE MAJOR:MINOR ACCESS'")),
    ];

    public static DeviceRule Rule(string? type, int? major, int? minor, string? access) =>
        new() { Type = type, Major = major, Minor = minor, Access = access, Path = "/dev/test" };
}
