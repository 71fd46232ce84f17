namespace Sandbox.Supervisor.Hardware;

/// <summary>GPU encoding (<c>Sandbox:Hardware</c>): where device nodes are looked for and how many sessions each takes.</summary>
public sealed class HardwareOptions
{
    /// <summary>Where the profiles' device nodes (<c>/dev/nvidia0</c>, <c>/dev/dri/renderD128</c>) are looked for at start; tests point it elsewhere.</summary>
    public string DeviceRoot { get; set; } = "/dev";

    /// <summary>
    /// Concurrent NVENC sessions per NVIDIA device. GeForce drivers cap them (8 since driver 550; 3 or 5
    /// before); data-centre GPUs do not, so raise it there.
    /// </summary>
    public int NvencSessionsPerDevice { get; set; } = 8;

    /// <summary>Concurrent encode sessions per VAAPI render node (no driver cap; the GPU's throughput is the limit).</summary>
    public int VaapiSessionsPerDevice { get; set; } = 4;
}
