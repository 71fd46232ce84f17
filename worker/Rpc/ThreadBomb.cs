namespace Sandbox.Worker.Rpc;

/// <summary>
/// A fork bomb as a .NET worker can make one: threads (each a task of the kernel, counted by
/// <c>pids.max</c>) started until the kernel refuses one, then all let go. Fault injection only.
/// </summary>
internal static class ThreadBomb
{
    /// <summary>Beyond this many the worker's pids limit is taken to be missing.</summary>
    private const int Ceiling = 4096;

    /// <summary>Starts threads until one fails to start; returns <c>EAGAIN after N threads</c>, or <c>ok</c> if none failed.</summary>
    public static string Detonate()
    {
        using var release = new ManualResetEventSlim();
        var threads = new List<Thread>();
        try
        {
            while (threads.Count < Ceiling)
            {
                var thread = new Thread(() => release.Wait(), maxStackSize: 64 << 10) { IsBackground = true };
                try
                {
                    thread.Start();
                }
                catch (Exception e) when (e is OutOfMemoryException or ThreadStartException)
                {
                    return $"EAGAIN after {threads.Count} threads";
                }

                threads.Add(thread);
            }

            return "ok";
        }
        finally
        {
            release.Set();
            threads.ForEach(t => t.Join());
        }
    }
}
