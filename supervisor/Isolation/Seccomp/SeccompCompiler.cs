using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Isolation.Seccomp.Interop;

namespace Sandbox.Supervisor.Isolation.Seccomp;

/// <summary>
/// Compiles a seccomp policy (OCI format) into a classic BPF program with libseccomp: a profile's
/// baseline, for bubblewrap to install (<c>--seccomp FD</c>) before the worker's first instruction,
/// and its lockdown, which the worker installs on itself before it opens its input.
/// </summary>
public static class SeccompCompiler
{
    private static readonly Dictionary<string, int> Operators = new()
    {
        ["SCMP_CMP_NE"] = 1,
        ["SCMP_CMP_LT"] = 2,
        ["SCMP_CMP_LE"] = 3,
        ["SCMP_CMP_EQ"] = 4,
        ["SCMP_CMP_GE"] = 5,
        ["SCMP_CMP_GT"] = 6,
        ["SCMP_CMP_MASKED_EQ"] = 7,
    };

    /// <summary>Writes the BPF program to <paramref name="path"/>; throws naming the profile and rule for anything libseccomp refuses.</summary>
    /// <param name="section">The profile field the policy comes from (<c>seccomp</c> or <c>lockdown</c>), for error messages.</param>
    public static void Compile(string profileName, SeccompPolicy policy, string path, string section = "seccomp")
    {
        var defaultAction = Action(policy.DefaultAction!, policy.DefaultErrnoRet);
        using var filter = SeccompFilterHandle.Create(defaultAction);
        foreach (var (rule, index) in (policy.Syscalls ?? []).Select((r, i) => (r, i)))
        {
            // libseccomp refuses a rule that repeats the default action; the default applies anyway.
            if (Action(rule.Action!, rule.ErrnoRet) == defaultAction)
            {
                continue;
            }

            var arguments = (rule.Args ?? [])
                .Select(a => new LibSeccomp.ArgumentComparison { Argument = a.Index, Operator = Operators[a.Op!], DatumA = a.Value, DatumB = a.ValueTwo })
                .ToArray();
            foreach (var name in rule.Names ?? [])
            {
                var number = LibSeccomp.seccomp_syscall_resolve_name(name);
                if (number == LibSeccomp.UnknownSyscall)
                {
                    throw new ProfileException([$"{profileName}.json: {section}.syscalls[{index}].names: '{name}' is not a syscall on this architecture"]);
                }

                var result = filter.AddRule(Action(rule.Action!, rule.ErrnoRet), number, arguments);
                if (result < 0)
                {
                    throw new ProfileException([$"{profileName}.json: {section}.syscalls[{index}]: libseccomp refused the rule for '{name}' (error {result})"]);
                }
            }
        }

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        var exported = filter.Export(file.SafeFileHandle);
        if (exported < 0)
        {
            throw new InvalidOperationException($"seccomp_export_bpf failed for profile {profileName} (error {exported})");
        }
    }

    private static uint Action(string action, int? errno) => action switch
    {
        "SCMP_ACT_ALLOW" => LibSeccomp.ActAllow,
        "SCMP_ACT_ERRNO" => LibSeccomp.ActErrnoBase | (uint)(errno ?? 1),
        "SCMP_ACT_KILL_PROCESS" => LibSeccomp.ActKillProcess,
        "SCMP_ACT_KILL_THREAD" or "SCMP_ACT_KILL" => LibSeccomp.ActKillThread,
        "SCMP_ACT_TRAP" => LibSeccomp.ActTrap,
        "SCMP_ACT_LOG" => LibSeccomp.ActLog,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "validated profiles name only known actions"),
    };
}
