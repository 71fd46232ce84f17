using System.Runtime.InteropServices;

namespace Sandbox.Supervisor.Isolation.Devices;

/// <summary>The kernel refused to load or attach a device filter; the message says what, where and why.</summary>
public sealed class DeviceFilterException(string message, int errno) : IOException(message)
{
    /// <summary>The errno of the failed system call (1 = EPERM, 2 = ENOENT, 13 = EACCES…).</summary>
    public int Errno { get; } = errno;

    /// <summary>"<paramref name="what"/>: errno N (text)", plus any detail (the verifier's log) on lines of its own.</summary>
    public static DeviceFilterException FromErrno(string what, int errno, string detail = "") =>
        new($"{what}: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}){(detail.Length > 0 ? "\n" + detail : "")}", errno);
}
