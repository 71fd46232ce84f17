using System.Runtime.InteropServices;
using System.Text;

namespace Sandbox.Supervisor.Isolation.Seccomp.Interop;

/// <summary>
/// <c>/dev/kmsg</c> opened non-blocking and positioned after the last record, so that reads return
/// only what the kernel logs from now on — one record per <c>read</c> (Documentation/ABI/testing/dev-kmsg).
/// </summary>
internal sealed unsafe partial class KernelLogHandle() : SafeHandle(-1, ownsHandle: true)
{
    private const string Path = "/dev/kmsg";
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int SeekEnd = 2;
    private const int TryAgain = 11;
    private const int Interrupted = 4;

    /// <summary>The kernel's records are at most about 8 KiB with their dictionary; a shorter buffer makes read fail with EINVAL.</summary>
    private const int RecordBufferSize = 16 * 1024;

    /// <summary>A reader overtaken by the ring buffer gets EPIPE once and then continues at the oldest record still there.</summary>
    private const int Overwritten = 32;

    public override bool IsInvalid => handle == -1;

    /// <summary>The open log, or null when it cannot be read (no permission, no /dev/kmsg in a container).</summary>
    public static KernelLogHandle? OpenAtEnd()
    {
        var log = new KernelLogHandle();
        log.SetHandle(open(Path, ReadOnly | NonBlocking | CloseOnExec));
        if (log.IsInvalid || lseek((int)log.handle, 0, SeekEnd) < 0)
        {
            log.Dispose();
            return null;
        }

        return log;
    }

    /// <summary>The next record (<c>PRIORITY,SEQUENCE,MICROSECONDS,FLAGS;MESSAGE</c> plus continuation lines), or null when there is none yet.</summary>
    public string? ReadRecord()
    {
        var buffer = new byte[RecordBufferSize];
        while (true)
        {
            nint count;
            fixed (byte* first = buffer)
            {
                count = read((int)handle, first, buffer.Length);
            }

            if (count >= 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, (int)count);
            }

            var error = Marshal.GetLastPInvokeError();
            switch (error)
            {
                case TryAgain:
                    return null;
                case Overwritten or Interrupted:
                    continue;
                default:
                    throw new IOException($"reading {Path} failed (errno {error})");
            }
        }
    }

    protected override bool ReleaseHandle() => close((int)handle) == 0;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long lseek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int close(int fd);
}
