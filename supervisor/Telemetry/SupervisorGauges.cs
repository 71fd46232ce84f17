using System.Diagnostics.Metrics;
using Sandbox.Supervisor.Memory;
using Sandbox.Supervisor.Sessions;
using Sandbox.Supervisor.Supervision;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Telemetry;

/// <summary>
/// What the supervisor can tell at any moment, observed when metrics are collected (a Prometheus
/// scrape): sessions by state, the queue, workers by state with each one's memory and CPU, deaths
/// by class, restarts and the memory budget. The same sources as GetStatus and ListWorkers.
/// </summary>
internal sealed class SupervisorGauges
{
    public SupervisorGauges(
        IMeterFactory meters,
        SessionManager sessions,
        WorkerRegistry workers,
        DeathCounters deaths,
        MemoryBudget budget,
        AdmissionControl admission,
        MemoryGovernor governor,
        Hardware.HardwarePlanner hardware)
    {
        var meter = meters.Create(SupervisorMetrics.MeterName);
        meter.CreateObservableGauge("sandbox.sessions", () => ByState(sessions), description: "Sessions the supervisor holds, by state (every state, 0 included)");
        meter.CreateObservableGauge("sandbox.sessions.queued", () => sessions.QueuedCount, description: "Sessions waiting for a worker (the queue's depth)");
        meter.CreateObservableGauge(
            "sandbox.workers", () => workers.List().GroupBy(w => WorkerStateName(w.State)).Select(g => new Measurement<int>(g.Count(), Tag("state", g.Key))), description: "Live workers, by state");
        meter.CreateObservableCounter("sandbox.worker.deaths", () => ByClass(deaths), description: "Workers that died, by death class (every class, 0 included)");
        meter.CreateObservableCounter("sandbox.worker.restarts", () => deaths.Restarts, description: "Fresh workers started for a session after its worker died");
        meter.CreateObservableGauge(
            "sandbox.worker.memory.usage", () => PerWorker(workers, w => w.Usage.MemoryCurrentBytes), "By", "Memory charged to each live worker's cgroup");
        meter.CreateObservableGauge(
            "sandbox.worker.memory.limit", () => PerWorker(workers, w => w.Usage.MemoryMaxBytes), "By", "Each live worker's hard memory limit (memory.max; v1 limit_in_bytes)");
        meter.CreateObservableCounter(
            "sandbox.worker.cpu.time", () => PerWorker(workers, w => w.Usage.CpuTime?.ToTimeSpan().TotalSeconds ?? 0), "s", "CPU time each live worker has used");
        meter.CreateObservableGauge("sandbox.memory.budget", () => budget.Bytes, "By", "What all workers together may hold");
        meter.CreateObservableGauge("sandbox.memory.used", () => budget.Used(), "By", "Charged now to all live workers' cgroups");
        meter.CreateObservableGauge("sandbox.memory.reserved", () => admission.Reserved, "By", "Admission control's estimates of the admitted sessions");
        meter.CreateObservableCounter("sandbox.memory.notifications", () => governor.KernelNotifications, description: "Kernel memory notifications received");
        meter.CreateObservableGauge(
            "sandbox.hardware.sessions_leased",
            () => hardware.Inventory.Devices.Select(d => new Measurement<int>(hardware.Sessions.Leased(d), Tag("device", d.Path), Tag("kind", d.Kind.ToString().ToLowerInvariant()))),
            description: "Encoder sessions leased on each GPU device (out of its cap)");
    }

    private static IEnumerable<Measurement<int>> ByState(SessionManager sessions)
    {
        var counts = sessions.CountByState();
        return Enum.GetValues<global::Sandbox.Api.V1.SessionState>()
            .Where(state => state != global::Sandbox.Api.V1.SessionState.Unspecified)
            .Select(state => state.ToString().ToUpperInvariant())
            .Select(state => new Measurement<int>(counts.GetValueOrDefault(state), Tag("state", state.ToLowerInvariant())));
    }

    private static IEnumerable<Measurement<long>> ByClass(DeathCounters deaths)
    {
        var counts = deaths.Deaths;
        return Enum.GetValues<DeathClass>().Select(WorkerDeath.NameOf).Select(name => new Measurement<long>(counts.GetValueOrDefault(name), Tag("class", name)));
    }

    private static IEnumerable<Measurement<T>> PerWorker<T>(WorkerRegistry workers, Func<global::Sandbox.Api.V1.Worker, T> value)
        where T : struct =>
        workers.List().Select(w => new Measurement<T>(value(w), Tag("worker", w.Id), Tag("session", w.SessionId)));

    private static string WorkerStateName(global::Sandbox.Api.V1.WorkerState state) => state switch
    {
        global::Sandbox.Api.V1.WorkerState.WorkerStarting => "starting",
        global::Sandbox.Api.V1.WorkerState.WorkerReady => "ready",
        global::Sandbox.Api.V1.WorkerState.WorkerBusy => "busy",
        global::Sandbox.Api.V1.WorkerState.WorkerStopping => "stopping",
        _ => "unknown",
    };

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
