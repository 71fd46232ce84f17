using System.Text.RegularExpressions;

namespace Sandbox.Supervisor.Isolation.Profiles;

/// <summary>Checks a resolved profile; every problem is reported as <c>file: field: what is wrong</c>.</summary>
internal static partial class ProfileValidator
{
    /// <summary>CoreCLR needs about 19 threads to start a gRPC worker; below 32 it fails in confusing ways.</summary>
    public const int MinimumPids = 32;

    private static readonly HashSet<string> Actions =
        ["SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL", "SCMP_ACT_TRAP", "SCMP_ACT_LOG"];

    private static readonly HashSet<string> Operators =
        ["SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"];

    /// <summary>
    /// What the file itself says is checked field by field (so positions are the file's own), and the
    /// profile it resolves to, with everything it inherits, is checked for completeness.
    /// </summary>
    public static IEnumerable<string> Problems(string file, SandboxProfile own, SandboxProfile resolved)
    {
        var problems = new List<string>();
        void Problem(string field, string what) => problems.Add($"{file}: {field}: {what}");

        CheckLimits(own.Limits, resolved.Limits, Problem);
        if (own.Seccomp is { } seccomp)
        {
            CheckSeccomp("seccomp", seccomp, Problem);
        }

        if (own.Lockdown is { } lockdown)
        {
            CheckSeccomp("lockdown", lockdown, Problem);
        }

        foreach (var (device, i) in (own.Devices ?? []).Select((d, i) => (d, i)))
        {
            CheckDevice($"devices[{i}]", device, Problem);
        }

        foreach (var (path, i) in (own.Filesystem?.ReadOnly ?? []).Select((p, i) => (p, i)))
        {
            CheckAbsolute($"filesystem.readOnly[{i}]", path, Problem);
        }

        foreach (var (path, i) in (own.Filesystem?.Tmpfs ?? []).Select((p, i) => (p, i)))
        {
            CheckAbsolute($"filesystem.tmpfs[{i}]", path, Problem);
        }

        foreach (var name in (own.Environment ?? new Dictionary<string, string>()).Keys.Where(n => !EnvironmentName().IsMatch(n)))
        {
            Problem($"environment.{name}", "is not a valid variable name");
        }

        if (resolved.Description is null or "")
        {
            Problem("description", "is required: say what the profile is for");
        }

        if (resolved.Seccomp?.DefaultAction is null)
        {
            Problem("seccomp.defaultAction", "is required (here or in a profile this one extends): the baseline filter needs one");
        }

        return problems;
    }

    private static void CheckLimits(ProfileLimits? own, ProfileLimits? resolved, Action<string, string> problem)
    {
        Size("limits.memoryMax", own?.MemoryMax, problem);
        Size("limits.memoryHigh", own?.MemoryHigh, problem);
        if (own?.PidsMax is { } pids && (pids < MinimumPids || pids > 4_194_304))
        {
            problem("limits.pidsMax", $"{pids} is out of range ({MinimumPids}–4194304; CoreCLR needs about 19 threads to start)");
        }

        if (own?.CpuMax is { } cpu && !CpuMax().IsMatch(cpu))
        {
            problem("limits.cpuMax", $"'{cpu}' is not 'QUOTA PERIOD' or 'max PERIOD' in microseconds (period 1000–1000000)");
        }

        if (own?.WallClock is { } wall && wall <= TimeSpan.Zero)
        {
            problem("limits.wallClock", "must be positive (hh:mm:ss)");
        }

        // Required settings may come from the profile this one extends.
        if (resolved?.MemoryMax is null)
        {
            problem("limits.memoryMax", "is required");
        }

        if (resolved?.PidsMax is null)
        {
            problem("limits.pidsMax", "is required");
        }

        if (resolved?.WallClock is null)
        {
            problem("limits.wallClock", "is required (hh:mm:ss)");
        }

        if (ByteSize.TryParse(resolved?.MemoryMax ?? "", out var effectiveMax) && ByteSize.TryParse(resolved?.MemoryHigh ?? "", out var high) && high > effectiveMax)
        {
            problem("limits.memoryHigh", $"{resolved!.MemoryHigh} is above memoryMax {resolved.MemoryMax}");
        }
    }

    private static void CheckSeccomp(string field, SeccompPolicy policy, Action<string, string> problem)
    {
        if (policy.DefaultAction is not null && !Actions.Contains(policy.DefaultAction))
        {
            problem($"{field}.defaultAction", $"'{policy.DefaultAction}' is not one of {string.Join(", ", Actions)}");
        }

        if (policy.DefaultAction == "SCMP_ACT_ERRNO" && policy.DefaultErrnoRet is not (> 0 and < 4096))
        {
            problem($"{field}.defaultErrnoRet", "SCMP_ACT_ERRNO needs an errno from 1 to 4095 (1 = EPERM, 38 = ENOSYS)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rule, i) in (policy.Syscalls ?? []).Select((r, i) => (r, i)))
        {
            var at = $"{field}.syscalls[{i}]";
            if (rule.Names is not { Count: > 0 })
            {
                problem($"{at}.names", "must name at least one syscall");
            }

            foreach (var name in rule.Names ?? [])
            {
                if (!SyscallName().IsMatch(name))
                {
                    problem($"{at}.names", $"'{name}' is not a syscall name");
                }
                else if (!seen.Add(name) && rule.Args is not { Count: > 0 })
                {
                    problem($"{at}.names", $"'{name}' already has a rule without arguments in this policy");
                }
            }

            if (rule.Action is null || !Actions.Contains(rule.Action))
            {
                problem($"{at}.action", $"'{rule.Action}' is not one of {string.Join(", ", Actions)}");
            }

            if (rule.Action == "SCMP_ACT_ERRNO" && rule.ErrnoRet is not (> 0 and < 4096))
            {
                problem($"{at}.errnoRet", "SCMP_ACT_ERRNO needs an errno from 1 to 4095");
            }

            foreach (var (argument, j) in (rule.Args ?? []).Select((a, j) => (a, j)))
            {
                if (argument.Index > 5)
                {
                    problem($"{at}.args[{j}].index", $"{argument.Index} is not an argument position (0–5)");
                }

                if (argument.Op is null || !Operators.Contains(argument.Op))
                {
                    problem($"{at}.args[{j}].op", $"'{argument.Op}' is not one of {string.Join(", ", Operators)}");
                }
            }
        }
    }

    private static void CheckDevice(string field, DeviceRule device, Action<string, string> problem)
    {
        if (device.Type is not ("c" or "b"))
        {
            problem($"{field}.type", $"'{device.Type}' is not c (character) or b (block)");
        }

        // -1 is the cgroup wildcard '*', for drivers whose major number is assigned at load time (nvidia-uvm).
        if (device.Major is not (>= -1 and < 4096) || device.Minor is not (>= -1 and < 1 << 20))
        {
            problem($"{field}.major", "major (0–4095) and minor (0–1048575) numbers are required (-1 = any)");
        }

        if (device.Access is not { Length: > 0 } access || access.Any(c => c is not ('r' or 'w' or 'm')) || access.Distinct().Count() != access.Length)
        {
            problem($"{field}.access", $"'{device.Access}' is not a subset of rwm");
        }

        if (device.Path is not { } path || !path.StartsWith("/dev/", StringComparison.Ordinal) || path.Contains("..", StringComparison.Ordinal))
        {
            problem($"{field}.path", $"'{device.Path}' is not a path under /dev/");
        }
    }

    private static void CheckAbsolute(string field, string path, Action<string, string> problem)
    {
        if (!path.StartsWith('/') || path.Contains("..", StringComparison.Ordinal))
        {
            problem(field, $"'{path}' is not an absolute path without '..'");
        }
    }

    private static void Size(string field, string? text, Action<string, string> problem)
    {
        if (text is not null && !(ByteSize.TryParse(text, out var bytes) && bytes >= 16L << 20))
        {
            problem(field, $"'{text}' is not a size of at least 16MiB (bytes, or a number with KiB, MiB, GiB)");
        }
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex SyscallName();

    [GeneratedRegex("^(max|[0-9]+) ([0-9]{4,7})$")]
    private static partial Regex CpuMax();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();
}
