namespace Sandbox.Worker.Interop;

/// <summary>Genuine native deaths and misbehaviours for fault-injection tests, as bugs in native code cause them.</summary>
public static class NativeCrash
{
    private const int LeakBlock = 16 << 20;
    private const int ShutReadWrite = 2;

    /// <summary>An address in the never-mapped first page.</summary>
    private const nint Invalid = 0x10;

    /// <summary>FFmpeg dereferences an invalid pointer: SIGSEGV inside libavutil, as on a decoder bug.</summary>
    public static void Segfault() => LibAVUtil.av_frame_unref_pointer(Invalid);

    /// <summary>libc's <c>abort()</c>: SIGABRT, as a failed assertion or detected heap corruption raises it.</summary>
    public static void Abort() => LibC.abort();

    /// <summary><c>_exit(3)</c>: the process ends at once, no cleanup, no result sent.</summary>
    public static void Vanish() => LibC.exit_immediately(3);

    /// <summary>
    /// A native leak: a thread mallocs and touches 16 MiB blocks, never freed, until the worker's
    /// memory limit (its cgroup's OOM kill) or the governor stops it — as a decoder leaking per frame would.
    /// </summary>
    /// <param name="mebibytesPerSecond">How fast; 0 = as fast as it can (16 MiB every 5 ms).</param>
    public static void LeakUntilKilled(int mebibytesPerSecond = 0)
    {
        var pause = mebibytesPerSecond > 0 ? TimeSpan.FromSeconds(16.0 / mebibytesPerSecond) : TimeSpan.FromMilliseconds(5);
        var thread = new Thread(() =>
        {
            while (true)
            {
                var block = LibC.malloc(LeakBlock);
                if (block != 0)
                {
                    unsafe
                    {
                        new Span<byte>((void*)block, LeakBlock).Fill(1);
                    }
                }

                Thread.Sleep(pause);
            }
        })
        { IsBackground = true, Name = "fault: leak" };
        thread.Start();
    }

    /// <summary>
    /// Shuts down every socket the process holds (its listener and its connection to the supervisor)
    /// while it stays alive: the supervisor sees a lost connection from a worker that did not die.
    /// </summary>
    public static void DropConnections()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (new FileInfo(entry).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true
                && int.TryParse(Path.GetFileName(entry), System.Globalization.CultureInfo.InvariantCulture, out var fd))
            {
                // A descriptor closed meanwhile (ENOTSOCK, EBADF) is no matter: the others still go.
                _ = LibC.shutdown(fd, ShutReadWrite);
            }
        }
    }
}
