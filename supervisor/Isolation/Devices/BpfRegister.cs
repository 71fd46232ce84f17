namespace Sandbox.Supervisor.Isolation.Devices;

/// <summary>The eBPF registers a device program uses: R0 holds the verdict, R1 points at the context on entry.</summary>
public enum BpfRegister : byte
{
    R0 = 0,
    R1 = 1,
    R2 = 2,
    R3 = 3,
    R4 = 4,
    R5 = 5,
}
