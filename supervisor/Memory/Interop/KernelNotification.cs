using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sandbox.Supervisor.Memory.Interop;

/// <summary>
/// A file descriptor the kernel makes ready when something happens to a cgroup's memory: a PSI
/// trigger (v2 <c>memory.pressure</c>, ready as POLLPRI), an inotify watch on v2
/// <c>memory.events</c> (POLLIN), or an eventfd registered for a v1 usage threshold (POLLIN).
/// <see cref="Wait"/> blocks one thread until any of a set is ready.
/// </summary>
public sealed unsafe partial class KernelNotification : SafeHandle
{
    private const int ReadWrite = 2;
    private const int WriteOnly = 1;
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int InotifyModify = 0x2;
    private const short PollIn = 0x1;
    private const short PollPri = 0x2;
    private const int Interrupted = 4;

    private readonly short _events;
    private readonly SafeHandle? _companion;

    private KernelNotification(int fd, short events, string what, SafeHandle? companion = null)
        : base(-1, ownsHandle: true)
    {
        SetHandle(fd);
        _events = events;
        _companion = companion;
        What = what;
    }

    public override bool IsInvalid => handle == -1;

    /// <summary>What it reports, for the governor's reason (e.g. "memory.high exceeded").</summary>
    public string What { get; }

    /// <summary>For a usage threshold (which fires both ways): the bytes usage must be at or above for it to mean pressure.</summary>
    public long? Threshold { get; private init; }

    /// <summary>v2: a PSI trigger — ready when the cgroup's tasks stalled on memory for <paramref name="stall"/> within <paramref name="window"/> (kernel ≥ 5.2).</summary>
    public static KernelNotification PressureTrigger(string pressureFile, TimeSpan stall, TimeSpan window)
    {
        var fd = Check(open(pressureFile, ReadWrite | NonBlocking | CloseOnExec), pressureFile);
        var trigger = System.Text.Encoding.ASCII.GetBytes($"some {(long)stall.TotalMicroseconds} {(long)window.TotalMicroseconds}\0");
        fixed (byte* bytes = trigger)
        {
            if (write(fd, bytes, trigger.Length) < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                close(fd);
                throw new IOException($"a PSI trigger could not be set on {pressureFile} (errno {error})");
            }
        }

        return new KernelNotification(fd, PollPri, $"the kernel's PSI trigger fired (tasks stalled on memory ≥ {stall.TotalMilliseconds:0} ms within {window.TotalSeconds:0.#} s)");
    }

    /// <summary>v2: an inotify watch on <c>memory.events</c>, which the kernel touches whenever a counter in it (high, max, oom) grows.</summary>
    public static KernelNotification FileChanges(string file, string what)
    {
        var fd = Check(inotify_init1(NonBlocking | CloseOnExec), "inotify");
        if (inotify_add_watch(fd, file, InotifyModify) < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            close(fd);
            throw new IOException($"{file} cannot be watched (errno {error})");
        }

        return new KernelNotification(fd, PollIn, what);
    }

    /// <summary>v1: an eventfd the memory controller signals when <c>memory.usage_in_bytes</c> crosses <paramref name="bytes"/> (either way).</summary>
    public static KernelNotification UsageThreshold(string memoryDirectory, long bytes)
    {
        // The threshold is registered on an open usage file; it stays open as long as the eventfd.
        var usage = new SafeFileHandle(Check(open(Path.Combine(memoryDirectory, "memory.usage_in_bytes"), ReadOnly | CloseOnExec), "memory.usage_in_bytes"), ownsHandle: true);
        var eventFd = Check(eventfd(0, NonBlocking | CloseOnExec), "eventfd");
        var notification = new KernelNotification(eventFd, PollIn, $"usage crossed {bytes >> 20} MiB (the kernel's usage threshold)", usage) { Threshold = bytes };
        var control = Path.Combine(memoryDirectory, "cgroup.event_control");
        var registration = System.Text.Encoding.ASCII.GetBytes($"{eventFd} {usage.DangerousGetHandle()} {bytes}");
        var controlFd = Check(open(control, WriteOnly | CloseOnExec), control);
        try
        {
            fixed (byte* text = registration)
            {
                if (write(controlFd, text, registration.Length) < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    notification.Dispose();
                    throw new IOException($"a usage threshold could not be registered in {control} (errno {error})");
                }
            }
        }
        finally
        {
            close(controlFd);
        }

        return notification;
    }

    /// <summary>Blocks until one of <paramref name="notifications"/> is ready or <paramref name="timeout"/> passes; returns those that are (drained).</summary>
    public static List<KernelNotification> Wait(IReadOnlyList<KernelNotification> notifications, TimeSpan timeout)
    {
        var fds = stackalloc PollFd[notifications.Count];
        for (var i = 0; i < notifications.Count; i++)
        {
            fds[i] = new PollFd { Fd = (int)notifications[i].handle, Events = notifications[i]._events };
        }

        var ready = poll(fds, (nuint)notifications.Count, (int)timeout.TotalMilliseconds);
        if (ready < 0 && Marshal.GetLastPInvokeError() != Interrupted)
        {
            throw new IOException($"poll on memory notifications failed (errno {Marshal.GetLastPInvokeError()})");
        }

        var fired = new List<KernelNotification>();
        for (var i = 0; ready > 0 && i < notifications.Count; i++)
        {
            if ((fds[i].Revents & notifications[i]._events) != 0)
            {
                notifications[i].Drain();
                fired.Add(notifications[i]);
            }
        }

        return fired;
    }

    /// <summary>Reads what made it ready (eventfd counter, inotify records), so the next wait blocks again; PSI triggers need no read.</summary>
    private void Drain()
    {
        if (_events != PollIn)
        {
            return;
        }

        var buffer = stackalloc byte[4096];
        while (read((int)handle, buffer, 4096) > 0)
        {
        }
    }

    protected override bool ReleaseHandle()
    {
        var closed = close((int)handle) == 0;
        _companion?.Dispose();
        return closed;
    }

    private static int Check(int fd, string what) =>
        fd >= 0 ? fd : throw new IOException($"{what} could not be opened for memory notifications (errno {Marshal.GetLastPInvokeError()})");

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int eventfd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int inotify_init1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int inotify_add_watch(int fd, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int poll(PollFd* fds, nuint count, int timeout);
}
