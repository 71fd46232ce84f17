using System.Buffers.Binary;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// Runs a cgroup device program from its wire bytes against one request, as the kernel would, for
/// the handful of opcodes a device filter uses. It decodes the bytes itself, with the opcodes
/// spelled out here, so it checks the encoder and the opcode constants too. Anything else (an
/// unknown opcode, a read of an unset register, a backward or out-of-range jump, falling off the
/// end) fails the test, roughly as the verifier would refuse it.
/// </summary>
public static class DeviceProgramInterpreter
{
    /// <summary>True when the program returns 1 for a request of <paramref name="access"/> (BPF_DEVCG_ACC_* bits) on <paramref name="type"/> MAJOR:MINOR.</summary>
    public static bool Allows(byte[] program, int type, int access, int major, int minor)
    {
        Assert.True(program.Length % 8 == 0 && program.Length > 0, $"a program is a non-empty array of 8-byte instructions, not {program.Length} bytes");
        var context = new uint[] { (uint)(access << 16 | type), (uint)major, (uint)minor };
        var registers = new ulong?[11];
        var isContext = new bool[11];
        isContext[1] = true;

        ulong Read(int register) => registers[register] ?? throw new InvalidOperationException($"R{register} is read before it is set");

        for (var pc = 0; pc < program.Length / 8;)
        {
            var instruction = program.AsSpan(pc * 8, 8);
            var (opcode, destination, source) = (instruction[0], instruction[1] & 0x0f, instruction[1] >> 4);
            var offset = BinaryPrimitives.ReadInt16LittleEndian(instruction[2..]);
            var immediate = BinaryPrimitives.ReadInt32LittleEndian(instruction[4..]);
            pc++;
            switch (opcode)
            {
                case 0x61: // ldxw dst, [src + off]
                    Assert.True(isContext[source] && offset is 0 or 4 or 8, $"load from R{source}+{offset} is not a field of bpf_cgroup_dev_ctx");
                    registers[destination] = context[offset / 4];
                    break;
                case 0x54: // and32 dst, imm
                    registers[destination] = (uint)Read(destination) & (uint)immediate;
                    break;
                case 0x74: // rsh32 dst, imm
                    registers[destination] = (uint)Read(destination) >> immediate;
                    break;
                case 0xb4: // mov32 dst, imm
                    registers[destination] = (uint)immediate;
                    break;
                case 0xbc: // mov32 dst, src
                    registers[destination] = (uint)Read(source);
                    break;
                case 0x55: // jne dst, imm, +off (64-bit compare against the sign-extended immediate)
                    pc += Jump(offset, Read(destination) != (ulong)(long)immediate);
                    break;
                case 0x5d: // jne dst, src, +off
                    pc += Jump(offset, Read(destination) != Read(source));
                    break;
                case 0x95: // exit
                    return Read(0) switch
                    {
                        0 => false,
                        1 => true,
                        var other => throw new InvalidOperationException($"the program returned {other}, not 0 or 1"),
                    };
                default:
                    throw new InvalidOperationException($"opcode 0x{opcode:x2} at instruction {pc - 1} is not one a device filter uses");
            }

            isContext[destination] = false;
            Assert.True(pc < program.Length / 8, $"instruction {pc} is past the end of the program (a jump too far, or no exit)");
        }

        throw new InvalidOperationException("unreachable");
    }

    private static int Jump(short offset, bool taken)
    {
        Assert.True(offset > 0, $"jump offset {offset}: a device filter only jumps forward");
        return taken ? offset : 0;
    }
}
