using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Isolation.Devices;

/// <summary>
/// Compiles a device allowlist into a <c>BPF_PROG_TYPE_CGROUP_DEVICE</c> program, laid out like
/// runc's device filter: load the request from <c>struct bpf_cgroup_dev_ctx</c> into registers,
/// then one block per rule that falls through to the next block on any mismatch and returns 1
/// (allow) when everything matched, and finally return 0 (deny). Pure: no kernel involved.
/// </summary>
public static class DeviceFilterProgram
{
    // struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }, access_type = access << 16 | type.
    private const int BlockDevice = 1; // BPF_DEVCG_DEV_BLOCK
    private const int CharacterDevice = 2; // BPF_DEVCG_DEV_CHAR
    private const int Mknod = 1; // BPF_DEVCG_ACC_MKNOD
    private const int Read = 2; // BPF_DEVCG_ACC_READ
    private const int Write = 4; // BPF_DEVCG_ACC_WRITE

    /// <summary>The largest major and minor numbers a 32-bit dev_t can hold (12 and 20 bits).</summary>
    private const int MaxMajor = (1 << 12) - 1;
    private const int MaxMinor = (1 << 20) - 1;

    private const short AccessTypeOffset = 0;
    private const short MajorOffset = 4;
    private const short MinorOffset = 8;

    // Registers once the prologue has run; R1 (the context pointer) is free for scratch after it.
    private const BpfRegister Type = BpfRegister.R2;
    private const BpfRegister Access = BpfRegister.R3;
    private const BpfRegister Major = BpfRegister.R4;
    private const BpfRegister Minor = BpfRegister.R5;
    private const BpfRegister Scratch = BpfRegister.R1;

    /// <summary>
    /// The program allowing exactly <paramref name="devices"/> (type <c>c</c>, <c>b</c> or <c>a</c> = both;
    /// major/minor null or -1 = any; access a non-empty subset of <c>rwm</c>) and denying everything else.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is malformed; the message names it by position.</exception>
    public static IReadOnlyList<BpfInstruction> Build(IReadOnlyList<DeviceRule> devices)
    {
        List<BpfInstruction> program =
        [
            BpfInstruction.LoadWord(Type, BpfRegister.R1, AccessTypeOffset),
            BpfInstruction.And32(Type, 0xffff),
            BpfInstruction.LoadWord(Access, BpfRegister.R1, AccessTypeOffset),
            BpfInstruction.RightShift32(Access, 16),
            BpfInstruction.LoadWord(Major, BpfRegister.R1, MajorOffset),
            BpfInstruction.LoadWord(Minor, BpfRegister.R1, MinorOffset),
        ];

        // Every rule is checked before any is compiled, so a malformed one is refused wherever it is.
        var blocks = devices.Select(Conditions).ToList();
        foreach (var conditions in blocks)
        {
            AppendBlock(program, conditions, allow: true);

            // A rule that matches every request makes all later code unreachable, which the verifier refuses.
            if (conditions.Count == 0)
            {
                return program;
            }
        }

        AppendBlock(program, [], allow: false);
        return program;
    }

    /// <summary>What a request must satisfy to match the rule; each check becomes one "jump to the next block unless".</summary>
    private static List<Condition> Conditions(DeviceRule rule, int index)
    {
        var described = $"devices[{index}] ({rule.Type} {Describe(rule.Major)}:{Describe(rule.Minor)} {rule.Access})";
        var conditions = new List<Condition>();
        switch (rule.Type)
        {
            case "c":
                conditions.Add(new Condition(Type, CharacterDevice));
                break;
            case "b":
                conditions.Add(new Condition(Type, BlockDevice));
                break;
            case "a":
                break;
            default:
                throw new ArgumentException($"{described}: type '{rule.Type}' is not c (character), b (block) or a (both)");
        }

        var access = AccessBits(rule.Access) ?? throw new ArgumentException($"{described}: access '{rule.Access}' is not a non-empty subset of rwm");

        // A request's access is allowed when it is a subset of the rule's; with rwm every request is.
        if (access != (Read | Write | Mknod))
        {
            conditions.Add(new Condition(Access, access, IsSubset: true));
        }

        if (Number(rule.Major, MaxMajor) is not { } major)
        {
            throw new ArgumentException($"{described}: major {rule.Major} is not 0–{MaxMajor} or -1 (any)");
        }

        if (Number(rule.Minor, MaxMinor) is not { } minor)
        {
            throw new ArgumentException($"{described}: minor {rule.Minor} is not 0–{MaxMinor} or -1 (any)");
        }

        if (major >= 0)
        {
            conditions.Add(new Condition(Major, major));
        }

        if (minor >= 0)
        {
            conditions.Add(new Condition(Minor, minor));
        }

        return conditions;
    }

    private static void AppendBlock(List<BpfInstruction> program, List<Condition> conditions, bool allow)
    {
        var block = new List<BpfInstruction>();
        foreach (var condition in conditions)
        {
            if (condition.IsSubset)
            {
                block.Add(BpfInstruction.Move32(Scratch, condition.Register));
                block.Add(BpfInstruction.And32(Scratch, condition.Value));
                block.Add(BpfInstruction.JumpIfNotEqual(Scratch, condition.Register, skip: 0));
            }
            else
            {
                block.Add(BpfInstruction.JumpIfNotEqual(condition.Register, condition.Value, skip: 0));
            }
        }

        block.Add(BpfInstruction.Move32(BpfRegister.R0, allow ? 1 : 0));
        block.Add(BpfInstruction.Exit());

        // Every jump lands on the first instruction after this block (jumps count from the next instruction).
        for (var i = 0; i < block.Count; i++)
        {
            if (block[i].IsJump)
            {
                block[i] = block[i] with { Offset = (short)(block.Count - 1 - i) };
            }
        }

        program.AddRange(block);
    }

    private static int? AccessBits(string? access)
    {
        if (string.IsNullOrEmpty(access))
        {
            return null;
        }

        var bits = 0;
        foreach (var letter in access)
        {
            var bit = letter switch
            {
                'r' => Read,
                'w' => Write,
                'm' => Mknod,
                _ => 0,
            };
            if (bit == 0)
            {
                return null;
            }

            bits |= bit;
        }

        return bits;
    }

    /// <summary>The number, -1 for any (null included), or null when out of range.</summary>
    private static int? Number(int? value, int max) => value switch
    {
        null or -1 => -1,
        >= 0 when value <= max => value,
        _ => null,
    };

    private static string Describe(int? number) => number is null or -1 ? "*" : number.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Register equals <see cref="Value"/>, or (for access) register's bits are all within <see cref="Value"/>.</summary>
    private sealed record Condition(BpfRegister Register, int Value, bool IsSubset = false);
}
