using System.Collections.Concurrent;
using Sandbox.Supervisor.Memory.Interop;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Memory;

/// <summary>
/// The event-driven half of sampling: each busy worker's cgroup is watched for what the kernel
/// reports as it happens (<see cref="Isolation.Cgroups.IWorkerCgroup.WatchMemory"/>: PSI trigger
/// and memory.events on v2, a usage threshold on v1), one thread per worker blocked in poll.
/// A notification is kept as the worker's pending reason and wakes the governor at once, instead
/// of at its next periodic round.
/// </summary>
internal sealed class KernelMemoryEvents(Action wake, ILogger logger) : IDisposable
{
    /// <summary>How long a watching thread blocks before it looks whether its worker is still watched.</summary>
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, Watch> _watches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KernelNotification> _pending = new(StringComparer.Ordinal);

    /// <summary>Notifications received since start (for the governor's numbers and tests).</summary>
    public long Received => Interlocked.Read(ref _received);

    private long _received;

    /// <summary>Watches these workers (a new one from its usage threshold on), and stops watching any other.</summary>
    public void Track(IReadOnlyList<(WorkerHandle Worker, long ThresholdBytes)> busy)
    {
        foreach (var (worker, threshold) in busy)
        {
            if (_watches.ContainsKey(worker.Id))
            {
                continue;
            }

            IReadOnlyList<KernelNotification> notifications;
            try
            {
                notifications = worker.Cgroup.WatchMemory(threshold);
            }
            catch (IOException e)
            {
                // The periodic rounds still see this worker; it only reacts a little later.
                logger.LogWarning("worker {Worker}: the kernel's memory notifications are not available ({Detail}); sampled periodically only", worker.Id, e.Message);
                notifications = [];
            }

            var watch = new Watch(worker.Id, notifications, this);
            if (!_watches.TryAdd(worker.Id, watch))
            {
                watch.Dispose();
            }
        }

        foreach (var gone in _watches.Keys.Except(busy.Select(b => b.Worker.Id)).ToList())
        {
            if (_watches.TryRemove(gone, out var watch))
            {
                watch.Dispose();
            }

            _pending.TryRemove(gone, out _);
        }
    }

    /// <summary>What the kernel said about this worker since the last call (its last notification), or null.</summary>
    public KernelNotification? Take(string workerId) => _pending.TryRemove(workerId, out var fired) ? fired : null;

    public void Dispose()
    {
        foreach (var watch in _watches.Values)
        {
            watch.Dispose();
        }

        _watches.Clear();
    }

    private ILogger Logger => logger;

    private void Notify(string workerId, KernelNotification fired)
    {
        Interlocked.Increment(ref _received);
        _pending[workerId] = fired;
        wake();
    }

    /// <summary>One worker's notifications and the thread that waits on them.</summary>
    private sealed class Watch : IDisposable
    {
        private readonly IReadOnlyList<KernelNotification> _notifications;
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread? _thread;

        public Watch(string workerId, IReadOnlyList<KernelNotification> notifications, KernelMemoryEvents owner)
        {
            _notifications = notifications;
            if (notifications.Count == 0)
            {
                return;
            }

            _thread = new Thread(() => Run(workerId, owner)) { IsBackground = true, Name = $"memory events {workerId}" };
            _thread.Start();
        }

        private void Run(string workerId, KernelMemoryEvents owner)
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    foreach (var fired in KernelNotification.Wait(_notifications, PollTimeout))
                    {
                        owner.Notify(workerId, fired);
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                owner.Logger.LogWarning("worker {Worker}: waiting for memory notifications failed ({Detail}); sampled periodically only", workerId, e.Message);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _thread?.Join();
            foreach (var notification in _notifications)
            {
                notification.Dispose();
            }

            _stop.Dispose();
        }
    }
}
