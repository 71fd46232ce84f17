namespace Sandbox.Supervisor.Hardware;

/// <summary>The GPU families a device node can belong to.</summary>
public enum HardwareKind
{
    /// <summary>NVIDIA: <c>/dev/nvidiaN</c> (with <c>/dev/nvidiactl</c>), encoders <c>*_nvenc</c>.</summary>
    Nvidia,

    /// <summary>VAAPI (Intel, AMD): a DRM render node <c>/dev/dri/renderDN</c>, encoders <c>*_vaapi</c>.</summary>
    Vaapi,
}
