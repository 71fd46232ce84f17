namespace Sandbox.Supervisor.Isolation.Profiles;

/// <summary>
/// How a profile refines the one it extends: every setting it gives replaces the parent's — a list
/// (devices, read-only paths, tmpfs paths) as a whole, so a child can also take things away — except
/// syscall rules, which replace the parent's rules for the same syscall names and add the rest, and
/// environment variables, which are added (same name: the child's wins).
/// </summary>
internal static class ProfileMerge
{
    public static SandboxProfile Apply(SandboxProfile parent, SandboxProfile child) => child with
    {
        Description = child.Description ?? parent.Description,
        Limits = Merge(parent.Limits, child.Limits, (p, c) => new ProfileLimits
        {
            MemoryMax = c.MemoryMax ?? p.MemoryMax,
            MemoryHigh = c.MemoryHigh ?? p.MemoryHigh,
            PidsMax = c.PidsMax ?? p.PidsMax,
            CpuMax = c.CpuMax ?? p.CpuMax,
            WallClock = c.WallClock ?? p.WallClock,
        }),
        Seccomp = Merge(parent.Seccomp, child.Seccomp, Seccomp),
        Lockdown = Merge(parent.Lockdown, child.Lockdown, Seccomp),
        Devices = child.Devices ?? parent.Devices,
        Filesystem = Merge(parent.Filesystem, child.Filesystem, (p, c) => new FilesystemView
        {
            ReadOnly = c.ReadOnly ?? p.ReadOnly,
            Tmpfs = c.Tmpfs ?? p.Tmpfs,
        }),
        Environment = Merge(parent.Environment, child.Environment, (p, c) =>
            (IReadOnlyDictionary<string, string>)p.Concat(c).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value)),
    };

    private static SeccompPolicy Seccomp(SeccompPolicy parent, SeccompPolicy child)
    {
        var overridden = (child.Syscalls ?? []).SelectMany(r => r.Names ?? []).ToHashSet(StringComparer.Ordinal);
        var inherited = (parent.Syscalls ?? [])
            .Select(r => r with { Names = [.. (r.Names ?? []).Where(n => !overridden.Contains(n))] })
            .Where(r => r.Names!.Count > 0);
        return new SeccompPolicy
        {
            DefaultAction = child.DefaultAction ?? parent.DefaultAction,
            DefaultErrnoRet = child.DefaultErrnoRet ?? parent.DefaultErrnoRet,
            Syscalls = [.. inherited, .. child.Syscalls ?? []],
        };
    }

    private static T? Merge<T>(T? parent, T? child, Func<T, T, T> merge) where T : class =>
        (parent, child) switch
        {
            (null, _) => child,
            (_, null) => parent,
            _ => merge(parent, child),
        };
}
