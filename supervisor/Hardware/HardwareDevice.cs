namespace Sandbox.Supervisor.Hardware;

/// <summary>
/// A GPU device node present on the host and exposed by a sandbox profile: a session encoding on it
/// runs in that profile, whose device allowlist and <c>/dev</c> hold exactly that device's nodes.
/// </summary>
/// <param name="Path">The node as the profile names it (<c>/dev/nvidia0</c>).</param>
/// <param name="Sessions">How many sessions may encode on it at once.</param>
public sealed record HardwareDevice(HardwareKind Kind, string Path, string Profile, int Sessions);
