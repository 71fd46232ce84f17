using Sandbox.Supervisor.Isolation.Devices;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Tests.Infrastructure;
using static Sandbox.Supervisor.Isolation.Devices.BpfRegister;
using static Sandbox.Supervisor.Tests.Infrastructure.DeviceAllowlist;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>
/// The device allowlist compiled to a cgroup device program: its exact layout for small allowlists,
/// its wire encoding, what it decides for many requests (run by a small interpreter), and the
/// refusal of malformed rules.
/// </summary>
public sealed class DeviceFilterProgramTests
{
    private const int Block = 1, Char = 2;
    private const int Mknod = 1, Read = 2, Write = 4;

    /// <summary>Loads type, access, major and minor from struct bpf_cgroup_dev_ctx into R2–R5.</summary>
    private static readonly BpfInstruction[] Prologue =
    [
        BpfInstruction.LoadWord(R2, R1, 0),
        BpfInstruction.And32(R2, 0xffff),
        BpfInstruction.LoadWord(R3, R1, 0),
        BpfInstruction.RightShift32(R3, 16),
        BpfInstruction.LoadWord(R4, R1, 4),
        BpfInstruction.LoadWord(R5, R1, 8),
    ];

    private static readonly BpfInstruction[] Deny = [BpfInstruction.Move32(R0, 0), BpfInstruction.Exit()];

    [Fact]
    public void Dev_null_with_every_access_is_one_block_checking_type_major_and_minor_then_deny()
    {
        var program = DeviceFilterProgram.Build([Rule("c", 1, 3, "rwm")]);

        Assert.Equal(
            [
                .. Prologue,
                BpfInstruction.JumpIfNotEqual(R2, Char, skip: 4),
                BpfInstruction.JumpIfNotEqual(R4, 1, skip: 3),
                BpfInstruction.JumpIfNotEqual(R5, 3, skip: 2),
                BpfInstruction.Move32(R0, 1),
                BpfInstruction.Exit(),
                .. Deny,
            ],
            program);
    }

    [Fact]
    public void Partial_access_adds_a_subset_check_and_wildcards_drop_their_checks()
    {
        var program = DeviceFilterProgram.Build([Rule("c", 1, 5, "r"), Rule("b", -1, null, "rw")]);

        Assert.Equal(
            [
                .. Prologue,
                BpfInstruction.JumpIfNotEqual(R2, Char, skip: 7),
                BpfInstruction.Move32(R1, R3),
                BpfInstruction.And32(R1, Read),
                BpfInstruction.JumpIfNotEqual(R1, R3, skip: 4),
                BpfInstruction.JumpIfNotEqual(R4, 1, skip: 3),
                BpfInstruction.JumpIfNotEqual(R5, 5, skip: 2),
                BpfInstruction.Move32(R0, 1),
                BpfInstruction.Exit(),
                BpfInstruction.JumpIfNotEqual(R2, Block, skip: 5),
                BpfInstruction.Move32(R1, R3),
                BpfInstruction.And32(R1, Read | Write),
                BpfInstruction.JumpIfNotEqual(R1, R3, skip: 2),
                BpfInstruction.Move32(R0, 1),
                BpfInstruction.Exit(),
                .. Deny,
            ],
            program);
    }

    [Fact]
    public void A_rule_matching_everything_ends_the_program_so_no_code_is_unreachable()
    {
        var program = DeviceFilterProgram.Build([Rule("c", 1, 3, "rw"), Rule("a", null, null, "rwm"), Rule("c", 1, 5, "r")]);

        Assert.Equal([BpfInstruction.Move32(R0, 1), BpfInstruction.Exit()], program.TakeLast(2));
        Assert.Equal(Prologue.Length + 8 + 2, program.Count);
        Assert.True(Allows(program, Block, Read | Write | Mknod, 8, 0));
    }

    [Fact]
    public void A_malformed_rule_after_one_matching_everything_is_still_refused()
    {
        var refused = Assert.Throws<ArgumentException>(() => DeviceFilterProgram.Build([Rule("a", null, null, "rwm"), Rule("c", 1, 5, "rwx")]));

        Assert.StartsWith("devices[1] (c 1:5 rwx): access", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Instructions_encode_as_the_kernels_struct_bpf_insn()
    {
        var bytes = BpfInstruction.Encode(
        [
            BpfInstruction.LoadWord(R2, R1, 8),
            BpfInstruction.And32(R2, 0xffff),
            BpfInstruction.JumpIfNotEqual(R1, R3, skip: 2),
            BpfInstruction.JumpIfNotEqual(R5, 1 << 20, skip: 300),
            BpfInstruction.Move32(R0, -2),
            BpfInstruction.Exit(),
        ]);

        Assert.Equal(
            Convert.FromHexString(
                "6112080000000000" + // code 0x61, dst R2 in the low nibble, src R1 in the high one, off 8
                "54020000ffff0000" + // and32 imm 0xffff, little-endian
                "5d31020000000000" + // jne R1, R3
                "55052c0100001000" + // off 300 = 0x012c, imm 0x100000
                "b4000000feffffff" + // imm -2
                "9500000000000000"),
            bytes);
    }

    [Fact]
    public void An_empty_allowlist_denies_everything()
    {
        var program = DeviceFilterProgram.Build([]);

        Assert.Equal([.. Prologue, .. Deny], program);
        Assert.False(Allows(program, Char, Read, 1, 3));
    }

    public static TheoryData<string, int, int, int, int, bool> Requests => new()
    {
        // The worker's usual /dev: null and zero read-write, urandom read-only.
        { "c 1:3 rw, c 1:5 rw, c 1:9 r", Char, Read, 1, 3, true },
        { "c 1:3 rw, c 1:5 rw, c 1:9 r", Char, Read | Write, 1, 5, true },
        { "c 1:3 rw, c 1:5 rw, c 1:9 r", Char, Read, 1, 9, true },
        { "c 1:3 rw, c 1:5 rw, c 1:9 r", Char, Write, 1, 9, false },
        { "c 1:3 rw, c 1:5 rw, c 1:9 r", Char, Read | Write, 1, 9, false },
        { "c 1:3 rw, c 1:5 rw, c 1:9 r", Char, Mknod, 1, 3, false },
        { "c 1:3 rw, c 1:5 rw, c 1:9 r", Char, Read, 1, 7, false },
        { "c 1:3 rw, c 1:5 rw, c 1:9 r", Char, Read, 3, 1, false },
        { "c 1:3 rw, c 1:5 rw, c 1:9 r", Block, Read, 1, 3, false },

        // Wildcards: the GPU profiles' nvidia-uvm has a major assigned at load time.
        { "c *:0 rw", Char, Read, 511, 0, true },
        { "c *:0 rw", Char, Read, 511, 1, false },
        { "c 226:* rw", Char, Read | Write, 226, 128, true },
        { "c 226:* rw", Char, Read, 227, 128, false },
        { "c 226:* rw", Block, Read, 226, 128, false },
        { "a 8:* r", Block, Read, 8, 0, true },
        { "a 8:* r", Char, Read, 8, 1, true },
        { "a 8:* r", Char, Write, 8, 1, false },
        { "b *:* rwm", Block, Read | Write | Mknod, 259, 7, true },
        { "b *:* rwm", Char, Read, 1, 3, false },

        // A request is allowed when a single rule covers all of its access, not when rules do together.
        { "c 1:5 r, c 1:5 w", Char, Read, 1, 5, true },
        { "c 1:5 r, c 1:5 w", Char, Write, 1, 5, true },
        { "c 1:5 r, c 1:5 w", Char, Read | Write, 1, 5, false },
        { "c 1:5 m, c 1:5 rw", Char, Mknod, 1, 5, true },
        { "c 1:5 m, c 1:5 rw", Char, Read | Write, 1, 5, true },
        { "c 1:5 m, c 1:5 rw", Char, Read | Write | Mknod, 1, 5, false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void The_program_allows_exactly_what_one_rule_allows(string allowlist, int type, int access, int major, int minor, bool allowed)
    {
        var program = DeviceFilterProgram.Build(Parse(allowlist));

        Assert.Equal(allowed, Allows(program, type, access, major, minor));
    }

    public static TheoryData<DeviceRule, string> Malformed => new()
    {
        { Rule("x", 1, 3, "rw"), "devices[1] (x 1:3 rw): type 'x' is not c (character), b (block) or a (both)" },
        { Rule(null, 1, 3, "rw"), "type '' is not c" },
        { Rule("c", 1, 3, "rwx"), "devices[1] (c 1:3 rwx): access 'rwx' is not a non-empty subset of rwm" },
        { Rule("c", 1, 3, ""), "access '' is not a non-empty subset of rwm" },
        { Rule("c", 1, 3, null), "access '' is not a non-empty subset of rwm" },
        { Rule("c", -2, 3, "rw"), "devices[1] (c -2:3 rw): major -2 is not 0–4095 or -1 (any)" },
        { Rule("c", 4096, 3, "rw"), "major 4096 is not 0–4095" },
        { Rule("c", 1, 1 << 20, "rw"), "minor 1048576 is not 0–1048575 or -1 (any)" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_rule_is_refused_naming_its_position_and_problem(DeviceRule rule, string message)
    {
        var refused = Assert.Throws<ArgumentException>(() => DeviceFilterProgram.Build([Rule("c", 1, 3, "rw"), rule]));

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    private static bool Allows(IReadOnlyList<BpfInstruction> program, int type, int access, int major, int minor) =>
        DeviceProgramInterpreter.Allows(BpfInstruction.Encode(program), type, access, major, minor);
}
