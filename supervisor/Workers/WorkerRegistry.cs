using System.Collections.Concurrent;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Workers;

/// <summary>The live workers, for the operators' ListWorkers/GetWorker.</summary>
internal sealed class WorkerRegistry
{
    private readonly ConcurrentDictionary<string, (WorkerHandle Handle, WorkerState State)> _workers = new();

    public int Count => _workers.Count;

    /// <summary>Raised when a worker starts running a session, so the memory governor watches it at once rather than at its next round.</summary>
    public event Action? WorkerBusy;

    public void Set(WorkerHandle handle, WorkerState state)
    {
        _workers[handle.Id] = (handle, state);
        if (state == WorkerState.WorkerBusy)
        {
            WorkerBusy?.Invoke();
        }
    }

    public void Remove(WorkerHandle handle) => _workers.TryRemove(handle.Id, out _);

    public IReadOnlyList<global::Sandbox.Api.V1.Worker> List() =>
        [.. _workers.Values.OrderBy(w => w.Handle.StartedAt).Select(w => Describe(w.Handle, w.State))];

    public global::Sandbox.Api.V1.Worker? Find(string id) => _workers.TryGetValue(id, out var w) ? Describe(w.Handle, w.State) : null;

    /// <summary>The live handle of a worker, for the Chaos service.</summary>
    public WorkerHandle? Handle(string id) => _workers.TryGetValue(id, out var w) ? w.Handle : null;

    /// <summary>The worker running <paramref name="sessionId"/> now, if any.</summary>
    public WorkerHandle? ForSession(string sessionId) =>
        _workers.Values.Where(w => w.Handle.SessionId == sessionId && w.State == WorkerState.WorkerBusy).Select(w => w.Handle).FirstOrDefault();

    /// <summary>Every live worker: busy, stopping, and idle in the warm pool.</summary>
    public IReadOnlyList<WorkerHandle> All() => [.. _workers.Values.Select(w => w.Handle)];

    /// <summary>Workers running a session now.</summary>
    public IReadOnlyList<WorkerHandle> Busy() => [.. _workers.Values.Where(w => w.State == WorkerState.WorkerBusy).Select(w => w.Handle)];

    private static global::Sandbox.Api.V1.Worker Describe(WorkerHandle handle, WorkerState state)
    {
        var worker = handle.ToApi(state);
        worker.Usage = ProcessUsage.Read(WorkerProcessTree.Snapshot(handle.Pid, handle.Cgroup));
        var cgroup = handle.Cgroup.ReadUsage();
        worker.Usage.Cgroup = handle.Cgroup.Path;
        worker.StderrTail = handle.StandardErrorTail;
        worker.Usage.MemoryCurrentBytes = cgroup.MemoryCurrent;
        worker.Usage.MemoryPeakBytes = cgroup.MemoryPeak;
        worker.Usage.MemoryMaxBytes = cgroup.MemoryMax;
        worker.Usage.PidsCurrent = cgroup.PidsCurrent;
        worker.Usage.PidsMax = cgroup.PidsMax;
        worker.Usage.OomKills = cgroup.OomKills;
        if (cgroup.MemoryPressure is { } pressure)
        {
            worker.Usage.MemoryPressure = new MemoryPressure
            {
                SomeAvg10 = pressure.SomeAvg10,
                FullAvg10 = pressure.FullAvg10,
                SomeTotal = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(pressure.SomeTotal),
                FullTotal = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(pressure.FullTotal),
            };
        }
        return worker;
    }
}
