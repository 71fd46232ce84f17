using System.Collections.Concurrent;

namespace Sandbox.Supervisor.Supervision;

/// <summary>How many workers died of each class, and how many restarts followed, since the supervisor started (GetStatus).</summary>
internal sealed class DeathCounters
{
    private readonly ConcurrentDictionary<string, long> _deaths = new(StringComparer.Ordinal);
    private long _restarts;

    public void RecordDeath(WorkerDeath death) => _deaths.AddOrUpdate(death.Name, 1, (_, count) => count + 1);

    public void RecordRestart() => Interlocked.Increment(ref _restarts);

    public IReadOnlyDictionary<string, long> Deaths => _deaths.ToDictionary(StringComparer.Ordinal);

    public long Restarts => Interlocked.Read(ref _restarts);
}
