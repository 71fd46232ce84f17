using Grpc.Core;
using Microsoft.Extensions.Logging;
using Sandbox.Api.Worker.V1;
using Sandbox.Worker.Interop;
using Sandbox.Worker.Interop.Seccomp;

namespace Sandbox.Worker.Rpc;

/// <summary>
/// Test-only misbehaviour on request, mapped only when the worker was started with
/// <c>--allow-fault-injection</c> (the supervisor passes it only under <c>--enable-fault-injection</c>).
/// It lets tests prove, from a real worker, that the lockdown kills or refuses what it should.
/// </summary>
internal sealed class FaultInjectionService(WorkerLockdown lockdown, ILogger<FaultInjectionService> logger) : FaultInjection.FaultInjectionBase
{
    private const string ThreadBombName = "thread_bomb";

    public override Task<MisbehaveResponse> Misbehave(MisbehaveRequest request, ServerCallContext context)
    {
        if (request.Syscall != ThreadBombName && !ForbiddenCalls.Names.Contains(request.Syscall))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"syscall must be one of {string.Join(", ", ForbiddenCalls.Names)} or {ThreadBombName}"));
        }

        var lockedDown = lockdown.IsInstalled;
        logger.LogWarning("fault injection: calling {Syscall} (locked down: {LockedDown})", request.Syscall, lockedDown);
        var result = request.Syscall == ThreadBombName ? ThreadBomb.Detonate() : ForbiddenCalls.Attempt(request.Syscall);
        return Task.FromResult(new MisbehaveResponse { Result = result, LockedDown = lockedDown });
    }

    public override Task<CrashResponse> Crash(CrashRequest request, ServerCallContext context)
    {
        Action? die = request.Kind switch
        {
            "segv" => NativeCrash.Segfault,
            "abort" => NativeCrash.Abort,
            "exit" => NativeCrash.Vanish,
            "leak" => () => NativeCrash.LeakUntilKilled(request.LeakMibPerSecond),
            "disconnect" => NativeCrash.DropConnections,
            _ => null,
        };
        if (die is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "kind must be segv, abort, exit, leak or disconnect"));
        }

        // Written at once, not through the logger's queue: the process may be gone a moment later.
        Console.Error.WriteLine($"fault injection: dying by {request.Kind}");
        Console.Error.Flush();
        die();
        return Task.FromResult(new CrashResponse());
    }
}
