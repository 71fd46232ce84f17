using System.Buffers.Binary;

namespace Sandbox.Supervisor.Isolation.Devices;

/// <summary>
/// One eBPF instruction, <c>struct bpf_insn</c>: opcode, destination and source registers, a signed
/// 16-bit offset (jump distance in instructions, or memory offset) and a signed 32-bit immediate.
/// Only the few opcodes a device filter needs have factories.
/// </summary>
public readonly record struct BpfInstruction(byte Opcode, BpfRegister Destination, BpfRegister Source, short Offset, int Immediate)
{
    /// <summary>Bytes per instruction on the wire.</summary>
    public const int Size = 8;

    // Opcode = class | operation | source; see include/uapi/linux/bpf_common.h and bpf.h.
    private const byte LoadWordOpcode = 0x61; // BPF_LDX | BPF_MEM | BPF_W
    private const byte And32ImmediateOpcode = 0x54; // BPF_ALU | BPF_AND | BPF_K
    private const byte RightShift32ImmediateOpcode = 0x74; // BPF_ALU | BPF_RSH | BPF_K
    private const byte Move32ImmediateOpcode = 0xb4; // BPF_ALU | BPF_MOV | BPF_K
    private const byte Move32RegisterOpcode = 0xbc; // BPF_ALU | BPF_MOV | BPF_X
    private const byte JumpIfNotEqualImmediateOpcode = 0x55; // BPF_JMP | BPF_JNE | BPF_K
    private const byte JumpIfNotEqualRegisterOpcode = 0x5d; // BPF_JMP | BPF_JNE | BPF_X
    private const byte ExitOpcode = 0x95; // BPF_JMP | BPF_EXIT

    /// <summary><c>destination = *(u32 *)(source + offset)</c>.</summary>
    public static BpfInstruction LoadWord(BpfRegister destination, BpfRegister source, short offset) =>
        new(LoadWordOpcode, destination, source, offset, 0);

    public static BpfInstruction And32(BpfRegister destination, int immediate) =>
        new(And32ImmediateOpcode, destination, BpfRegister.R0, 0, immediate);

    public static BpfInstruction RightShift32(BpfRegister destination, int bits) =>
        new(RightShift32ImmediateOpcode, destination, BpfRegister.R0, 0, bits);

    public static BpfInstruction Move32(BpfRegister destination, int immediate) =>
        new(Move32ImmediateOpcode, destination, BpfRegister.R0, 0, immediate);

    public static BpfInstruction Move32(BpfRegister destination, BpfRegister source) =>
        new(Move32RegisterOpcode, destination, source, 0, 0);

    /// <summary>Skips <paramref name="skip"/> instructions when <c>destination != immediate</c>.</summary>
    public static BpfInstruction JumpIfNotEqual(BpfRegister destination, int immediate, short skip) =>
        new(JumpIfNotEqualImmediateOpcode, destination, BpfRegister.R0, skip, immediate);

    /// <summary>Skips <paramref name="skip"/> instructions when <c>destination != source</c>.</summary>
    public static BpfInstruction JumpIfNotEqual(BpfRegister destination, BpfRegister source, short skip) =>
        new(JumpIfNotEqualRegisterOpcode, destination, source, skip, 0);

    /// <summary>A conditional jump, whose <see cref="Offset"/> is a distance in instructions.</summary>
    public bool IsJump => Opcode is JumpIfNotEqualImmediateOpcode or JumpIfNotEqualRegisterOpcode;

    /// <summary>Returns R0 to the kernel.</summary>
    public static BpfInstruction Exit() => new(ExitOpcode, BpfRegister.R0, BpfRegister.R0, 0, 0);

    /// <summary>The program as the kernel reads it: 8 little-endian bytes per instruction (x86-64, arm64).</summary>
    public static byte[] Encode(IReadOnlyList<BpfInstruction> program)
    {
        var bytes = new byte[program.Count * Size];
        for (var i = 0; i < program.Count; i++)
        {
            program[i].WriteTo(bytes.AsSpan(i * Size, Size));
        }

        return bytes;
    }

    /// <summary>Writes <c>{u8 code; u8 dst_reg:4, src_reg:4; s16 off; s32 imm}</c>; the bit-fields put dst in the low nibble on little-endian.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Opcode;
        destination[1] = (byte)(((byte)Source << 4) | ((byte)Destination & 0x0f));
        BinaryPrimitives.WriteInt16LittleEndian(destination[2..], Offset);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], Immediate);
    }
}
