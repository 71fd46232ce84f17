using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Sessions;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Api;

/// <summary>
/// The <c>sandbox.v1.Chaos</c> service: fault injection for tests and CI, mapped only when the
/// supervisor runs with <c>--enable-fault-injection</c>. It hands the fault to the worker's own
/// FaultInjection service (so crashes happen inside the sandbox, in native code) or, for SIGKILL,
/// kills the worker from outside. With a progress point it waits for the session to reach it.
/// </summary>
internal sealed class ChaosApi(WorkerRegistry workers, SessionManager sessions, ILogger<ChaosApi> logger) : Chaos.ChaosBase
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The faults the worker's own FaultInjection.Crash makes happen inside the sandbox, by its name for them.</summary>
    private static readonly Dictionary<FaultKind, string> WorkerFaults = new()
    {
        [FaultKind.FaultSegfault] = "segv",
        [FaultKind.FaultAbort] = "abort",
        [FaultKind.FaultExit] = "exit",
        [FaultKind.FaultLeak] = "leak",
        [FaultKind.FaultDisconnect] = "disconnect",
    };

    public override async Task<InjectFaultResponse> InjectFault(InjectFaultRequest request, ServerCallContext context)
    {
        if (!WorkerFaults.ContainsKey(request.Kind) && request.Kind is not (FaultKind.FaultSigkill or FaultKind.FaultHang or FaultKind.FaultForbiddenSyscall))
        {
            throw RpcErrors.InvalidSpec("kind", "choose one of FAULT_SEGFAULT, FAULT_ABORT, FAULT_EXIT, FAULT_SIGKILL, FAULT_FORBIDDEN_SYSCALL, FAULT_HANG, FAULT_LEAK, FAULT_DISCONNECT");
        }

        if (request.At is { } at)
        {
            await WaitForProgressPointAsync(request, at.ToTimeSpan(), context.CancellationToken);
        }

        var worker = request.TargetCase switch
        {
            InjectFaultRequest.TargetOneofCase.SessionId => workers.ForSession(request.SessionId)
                ?? throw RpcErrors.Create(ErrorReason.WorkerNotFound, $"session '{request.SessionId}' has no running worker"),
            InjectFaultRequest.TargetOneofCase.WorkerId => workers.Handle(request.WorkerId)
                ?? throw RpcErrors.Create(ErrorReason.WorkerNotFound, $"no live worker has id '{request.WorkerId}'"),
            InjectFaultRequest.TargetOneofCase.Random => workers.Busy() is { Count: > 0 } busy
                ? busy[Random.Shared.Next(busy.Count)]
                : throw RpcErrors.Create(ErrorReason.WorkerNotFound, "no worker is running a session"),
            _ => throw RpcErrors.InvalidSpec("target", "set session_id, worker_id or random"),
        };
        logger.LogWarning("chaos: {Kind} for worker {Worker} (session {Session})", request.Kind, worker.Id, worker.SessionId);
        var response = new InjectFaultResponse { WorkerId = worker.Id, SessionId = worker.SessionId, Pid = worker.Pid };
        if (!request.InputFault && request.Kind != FaultKind.FaultForbiddenSyscall)
        {
            worker.InjectedFault = ChaosReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>(nameof(FaultKind)).FindValueByNumber((int)request.Kind).Name;
        }

        if (WorkerFaults.TryGetValue(request.Kind, out var crash))
        {
            await CrashAsync(worker, new CrashRequest { Kind = crash, LeakMibPerSecond = request.LeakMibPerSecond }, context.CancellationToken);
        }
        else if (request.Kind == FaultKind.FaultSigkill)
        {
            worker.Kill();
        }
        else if (request.Kind == FaultKind.FaultHang)
        {
            ProcessSignals.Send(WorkerProcessTree.Snapshot(worker.Pid, worker.Cgroup), ProcessSignals.SIGSTOP);
        }
        else
        {
            response.Result = await MisbehaveAsync(worker, request.Syscall, context.CancellationToken);
        }

        return response;
    }

    /// <summary>Waits until the session's output reaches <paramref name="at"/> and a worker runs it.</summary>
    private async Task WaitForProgressPointAsync(InjectFaultRequest request, TimeSpan at, CancellationToken cancellationToken)
    {
        if (request.TargetCase != InjectFaultRequest.TargetOneofCase.SessionId)
        {
            throw RpcErrors.InvalidSpec("at", "a progress point needs a session_id target");
        }

        if (at < TimeSpan.Zero)
        {
            throw RpcErrors.InvalidSpec("at", "must not be negative");
        }

        var record = sessions.Find(request.SessionId);
        await record.WaitUntilAsync(
            s => SessionRecord.IsTerminal(s.State) || (s.State == SessionState.Running && s.Progress?.OutputTime?.ToTimeSpan() >= at),
            cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (record.IsFinished)
        {
            throw RpcErrors.Create(ErrorReason.SessionFinished, $"session {record.Id} ended ({record.State}) before its output reached {at}");
        }
    }

    /// <summary>The worker dies answering, so the call's failure is the expected outcome.</summary>
    private static async Task CrashAsync(WorkerHandle worker, CrashRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await worker.Faults.CrashAsync(request, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.DeadlineExceeded)
        {
            // The connection went down with the worker, as intended.
        }
    }

    private static async Task<string> MisbehaveAsync(WorkerHandle worker, string syscall, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await worker.Faults.MisbehaveAsync(new MisbehaveRequest { Syscall = syscall }, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            return answer.Result;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal)
        {
            return "killed";
        }
    }
}
