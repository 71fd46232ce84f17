using System.Text.Json.Serialization;

namespace Sandbox.Supervisor.Isolation.Profiles;

/// <summary>
/// A sandbox profile as written in <c>sandbox-profiles/NAME.json</c>: what a worker may use
/// (limits), call (seccomp, in the OCI runtime-spec syscall format), open (devices) and see
/// (filesystem, environment). Absent members inherit from <see cref="Extends"/>.
/// </summary>
public sealed record SandboxProfile
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The profile this one refines; its settings apply where this one says nothing.</summary>
    public string? Extends { get; init; }

    public ProfileLimits? Limits { get; init; }

    /// <summary>The baseline filter, installed before the worker's first instruction (all threads).</summary>
    public SeccompPolicy? Seccomp { get; init; }

    /// <summary>Rules the worker adds to itself after start-up, before it opens untrusted input.</summary>
    public SeccompPolicy? Lockdown { get; init; }

    public IReadOnlyList<DeviceRule>? Devices { get; init; }

    public FilesystemView? Filesystem { get; init; }

    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}

/// <summary>cgroup limits and the wall-clock deadline of one worker.</summary>
public sealed record ProfileLimits
{
    /// <summary>Hard memory limit (cgroup <c>memory.max</c>): bytes or <c>512MiB</c>, <c>2GiB</c>…</summary>
    public string? MemoryMax { get; init; }

    /// <summary>Throttling threshold (cgroup <c>memory.high</c>), at most <see cref="MemoryMax"/>.</summary>
    public string? MemoryHigh { get; init; }

    /// <summary>Processes and threads (cgroup <c>pids.max</c>); CoreCLR needs about 19 to start, so at least 32.</summary>
    public int? PidsMax { get; init; }

    /// <summary>CPU bandwidth as cgroup v2 writes it: <c>QUOTA PERIOD</c> in microseconds, or <c>max PERIOD</c>.</summary>
    public string? CpuMax { get; init; }

    /// <summary>Longest a session may run, <c>hh:mm:ss</c>.</summary>
    public TimeSpan? WallClock { get; init; }
}

/// <summary>A seccomp policy in the OCI runtime-spec format (<c>linux.seccomp</c>).</summary>
public sealed record SeccompPolicy
{
    /// <summary>What happens to any syscall no rule names: <c>SCMP_ACT_ERRNO</c> (preferred), <c>SCMP_ACT_KILL_PROCESS</c>…</summary>
    public string? DefaultAction { get; init; }

    /// <summary>The errno of <see cref="DefaultAction"/> when it is <c>SCMP_ACT_ERRNO</c> (1 = EPERM, 38 = ENOSYS).</summary>
    public int? DefaultErrnoRet { get; init; }

    public IReadOnlyList<SyscallRule>? Syscalls { get; init; }
}

public sealed record SyscallRule
{
    public IReadOnlyList<string>? Names { get; init; }

    public string? Action { get; init; }

    public int? ErrnoRet { get; init; }

    /// <summary>All must match for the rule to apply (OCI <c>args</c>).</summary>
    public IReadOnlyList<SyscallArgument>? Args { get; init; }
}

public sealed record SyscallArgument
{
    public uint Index { get; init; }

    public ulong Value { get; init; }

    public ulong ValueTwo { get; init; }

    /// <summary><c>SCMP_CMP_EQ</c>, <c>SCMP_CMP_NE</c>, <c>SCMP_CMP_LT</c>, <c>SCMP_CMP_LE</c>, <c>SCMP_CMP_GT</c>, <c>SCMP_CMP_GE</c>, <c>SCMP_CMP_MASKED_EQ</c>.</summary>
    public string? Op { get; init; }
}

/// <summary>One allowed device node: cgroup device rule plus the node made in the worker's <c>/dev</c>.</summary>
public sealed record DeviceRule
{
    /// <summary><c>c</c> (character) or <c>b</c> (block).</summary>
    public string? Type { get; init; }

    public int? Major { get; init; }

    public int? Minor { get; init; }

    /// <summary>A subset of <c>rwm</c> (read, write, mknod).</summary>
    public string? Access { get; init; }

    /// <summary>Where the node appears in the worker's <c>/dev</c>.</summary>
    public string? Path { get; init; }
}

/// <summary>What of the host filesystem the worker sees, besides its input (read-only), output directory and socket directory.</summary>
public sealed record FilesystemView
{
    /// <summary>Host paths bound read-only at the same place (system libraries, the .NET runtime…).</summary>
    [JsonPropertyName("readOnly")]
    public IReadOnlyList<string>? ReadOnly { get; init; }

    /// <summary>Empty, private, writable directories (e.g. <c>/tmp</c>).</summary>
    public IReadOnlyList<string>? Tmpfs { get; init; }
}
