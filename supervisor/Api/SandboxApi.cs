using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Sandbox.Api.V1;
using Status = Sandbox.Api.V1.Status;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Hosting;
using Sandbox.Supervisor.Sessions;
using Sandbox.Supervisor.Supervision;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Api;

/// <summary>The operators' <c>sandbox.v1.Sandbox</c> service.</summary>
internal sealed class SandboxApi(
    SessionManager sessions,
    WorkerRegistry workers,
    WorkerPool pool,
    HostProbe host,
    Quarantine quarantine,
    DeathCounters counters,
    Memory.MemorySampler memory,
    Memory.MemoryBudget budget,
    Memory.AdmissionControl admission,
    Memory.MemoryGovernor governor,
    Hardware.HardwarePlanner hardware,
    IOptions<SupervisorOptions> options,
    TimeProvider time)
    : global::Sandbox.Api.V1.Sandbox.SandboxBase
{
    public override Task<ListQuarantineResponse> ListQuarantine(ListQuarantineRequest request, ServerCallContext context)
    {
        var response = new ListQuarantineResponse();
        response.Inputs.AddRange(quarantine.List().Select(e => new QuarantinedInput
        {
            Fingerprint = e.Fingerprint,
            Input = e.Input,
            Death = e.Death,
            Position = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(e.Position),
            Deaths = e.Deaths,
            SessionId = e.SessionId,
            QuarantinedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(e.QuarantinedAt),
        }));
        return Task.FromResult(response);
    }

    public override Task<ClearQuarantineResponse> ClearQuarantine(ClearQuarantineRequest request, ServerCallContext context) =>
        Task.FromResult(new ClearQuarantineResponse { Cleared = quarantine.Clear(request.Fingerprint) });

    public override Task<Status> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var status = new Status
        {
            Version = typeof(SandboxApi).Assembly.GetName().Version?.ToString() ?? "",
            StartedAt = Timestamp.FromDateTimeOffset(host.StartedAt),
            Uptime = Duration.FromTimeSpan(time.GetUtcNow() - host.StartedAt),
            Workers = workers.Count,
            MaxConcurrentSessions = options.Value.MaxConcurrentSessions,
            Queued = sessions.QueuedCount,
            Host = host.Capabilities,
            Restarts = counters.Restarts,
            WarmWorkers = pool.IdleCount,
            WarmTarget = pool.Enabled ? pool.Target : 0,
            MemorySamplingCost = Duration.FromTimeSpan(memory.MeanRoundCost),
            MemoryBudgetBytes = budget.Bytes,
            MemoryUsedBytes = budget.Used(),
            MemoryReservedBytes = admission.Reserved,
            MemoryNotifications = governor.KernelNotifications,
        };
        status.SessionsByState.Add(sessions.CountByState().ToDictionary());
        status.WorkerDeaths.Add(counters.Deaths.ToDictionary());
        status.HardwareLookedFor.AddRange(hardware.Inventory.LookedFor);
        status.Hardware.AddRange(hardware.Inventory.Devices.Select(d =>
        {
            var device = new HardwareDevice
            {
                Kind = d.Kind.ToString().ToLowerInvariant(),
                Path = d.Path,
                Profile = d.Profile,
                Sessions = d.Sessions,
                Leased = hardware.Sessions.Leased(d),
            };
            device.Encoders.AddRange(hardware.EncodersOn(d));
            return device;
        }));
        return Task.FromResult(status);
    }

    public override Task<ListWorkersResponse> ListWorkers(ListWorkersRequest request, ServerCallContext context)
    {
        var response = new ListWorkersResponse();
        response.Workers.AddRange(workers.List().Select(WithHistory));
        return Task.FromResult(response);
    }

    public override Task<global::Sandbox.Api.V1.Worker> GetWorker(GetWorkerRequest request, ServerCallContext context) =>
        Task.FromResult(WithHistory(workers.Find(request.WorkerId) ?? throw RpcErrors.Create(ErrorReason.WorkerNotFound, $"no live worker has id '{request.WorkerId}'")));

    /// <summary>
    /// Adds what the sampler knows of the worker's memory, and the session's earlier workers: how
    /// many were restarted before this one, and how each died.
    /// </summary>
    private global::Sandbox.Api.V1.Worker WithHistory(global::Sandbox.Api.V1.Worker worker)
    {
        memory.Describe(worker);
        if (governor.Find(worker.SessionId) is var (rung, history))
        {
            worker.MemoryRung = Memory.MemoryGovernor.Name(rung);
            worker.MemoryRungHistory.AddRange(history);
        }

        if (sessions.FindOrNull(worker.SessionId) is { } session)
        {
            var deaths = session.Deaths;
            worker.Restarts = deaths.Count;
            worker.EarlierDeaths.AddRange(deaths);
        }

        return worker;
    }
}
