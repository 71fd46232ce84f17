using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;
using ChaosClient = Sandbox.Api.V1.Chaos.ChaosClient;

namespace Sandbox.Supervisor.Tests.ChaosSuite;

/// <summary>
/// Drives a chaos plan against a real supervisor: submits the sessions (a few in flight at a time),
/// injects each one's mischief through the Chaos API, follows every session to its end and records
/// what happened. Calls go to whichever supervisor <paramref name="supervisor"/> names at the time,
/// and are retried while it is down, so a run survives a supervisor restart as a client would.
/// </summary>
public sealed class ChaosRun(Func<SupervisorProcess> supervisor, string input, Func<int, string> poisonInput, string outputDirectory, int inFlight = 6)
{
    /// <summary>Long enough for a queue of sessions with restarts and hangs; reaching it means something hung.</summary>
    private static readonly TimeSpan CallTimeout = TestTime.Limit(TimeSpan.FromMinutes(10));

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    private int _finished;

    /// <summary>Sessions that have ended so far.</summary>
    public int Finished => Volatile.Read(ref _finished);

    public async Task<IReadOnlyList<ChaosOutcome>> RunAsync(IReadOnlyList<PlannedSession> plan)
    {
        using var slots = new SemaphoreSlim(inFlight);
        return await Task.WhenAll(plan.Select(async planned =>
        {
            await slots.WaitAsync();
            try
            {
                return await RunOneAsync(planned);
            }
            finally
            {
                slots.Release();
                Interlocked.Increment(ref _finished);
            }
        }));
    }

    private async Task<ChaosOutcome> RunOneAsync(PlannedSession planned)
    {
        var output = Path.Combine(outputDirectory, $"s{planned.Index:D4}.{Extension(planned.Container)}");
        var spec = new SessionSpec
        {
            InputPath = planned.Mischief == Mischief.Poison ? poisonInput(planned.Index) : input,
            Output = new OutputTarget { Path = output, Container = planned.Container },
            Profile = "chaos",
        };
        var submitted = await RetryAsync(s => s.Sessions.SubmitAsync(new SubmitRequest { Spec = spec }, deadline: DateTime.UtcNow + CallTimeout).ResponseAsync);
        var id = submitted.Id;
        var delivered = planned.Mischief switch
        {
            Mischief.None => false,
            Mischief.Fault => await InjectAsync(new InjectFaultRequest { SessionId = id, Kind = planned.Fault, At = Duration.FromTimeSpan(planned.At) }),
            Mischief.ForbiddenSyscall => await InjectAsync(new InjectFaultRequest { SessionId = id, Kind = FaultKind.FaultForbiddenSyscall, Syscall = "ptrace", At = Duration.FromTimeSpan(planned.At) }),
            Mischief.Cancel => await CancelAtFirstProgressAsync(id),
            Mischief.Poison => await PoisonAsync(id),
            _ => throw new ArgumentOutOfRangeException(nameof(planned)),
        };

        var events = await WatchToEndAsync(id, 1, _ => false);
        var session = await RetryAsync(s => s.Sessions.GetAsync(new GetSessionRequest { SessionId = id }, deadline: DateTime.UtcNow + CallTimeout).ResponseAsync);
        return new ChaosOutcome(
            planned,
            id,
            output,
            delivered,
            session.State,
            session.Failure?.Reason ?? ErrorReason.Unspecified,
            events.Where(e => e.WorkerRestarted is not null).Select(e => e.WorkerRestarted.Death).ToList(),
            events.Count(e => e.StateChanged is { } c && c.State is SessionState.Completed or SessionState.Failed or SessionState.Cancelled),
            SessionStreams.Describe(events));
    }

    /// <summary>True when the fault was injected; false when the session ended first (or the supervisor went down meanwhile).</summary>
    private async Task<bool> InjectAsync(InjectFaultRequest request)
    {
        try
        {
            await new ChaosClient(supervisor().Channel).InjectFaultAsync(request, deadline: DateTime.UtcNow + CallTimeout);
            return true;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled)
        {
            return false;
        }
    }

    private async Task<bool> CancelAtFirstProgressAsync(string id)
    {
        await WatchToEndAsync(id, 1, e => e.Progress is not null);
        try
        {
            await supervisor().Sessions.CancelAsync(new CancelRequest { SessionId = id }, deadline: DateTime.UtcNow + CallTimeout);
            return true;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.Unavailable or StatusCode.Internal)
        {
            return false;
        }
    }

    /// <summary>Two segfaults where the session stands at its workers' first progress: the same crash at the same place.</summary>
    private async Task<bool> PoisonAsync(string id)
    {
        if (!await InjectAsync(new InjectFaultRequest { SessionId = id, Kind = FaultKind.FaultSegfault, At = Duration.FromTimeSpan(TimeSpan.Zero), InputFault = true }))
        {
            return false;
        }

        var restarted = (await WatchToEndAsync(id, 1, e => e.WorkerRestarted is not null))[^1];
        var progress = await WatchToEndAsync(id, restarted.Sequence + 1, e => e.Progress is not null);
        return progress[^1].Progress is not null && await InjectAsync(new InjectFaultRequest { SessionId = id, Kind = FaultKind.FaultSegfault, InputFault = true });
    }

    /// <summary>Follows the session's events from <paramref name="from"/> until <paramref name="stop"/> matches or the session ends, reconnecting across supervisor restarts.</summary>
    private async Task<List<SessionEvent>> WatchToEndAsync(string id, long from, Func<SessionEvent, bool> stop)
    {
        var events = new List<SessionEvent>();
        var end = DateTime.UtcNow + CallTimeout;
        while (true)
        {
            try
            {
                using var disconnect = new CancellationTokenSource();
                using var call = supervisor().Sessions.Watch(new WatchRequest { SessionId = id, FromSequence = from + events.Count }, deadline: end, cancellationToken: disconnect.Token);
                await foreach (var e in call.ResponseStream.ReadAllAsync())
                {
                    events.Add(e);
                    if (stop(e))
                    {
                        await disconnect.CancelAsync();
                        return events;
                    }
                }

                return events;
            }
            catch (RpcException e) when (IsDown(e) && DateTime.UtcNow < end)
            {
                await Task.Delay(RetryPause);
            }
        }
    }

    private async Task<T> RetryAsync<T>(Func<SupervisorProcess, Task<T>> call)
    {
        var end = DateTime.UtcNow + CallTimeout;
        while (true)
        {
            try
            {
                return await call(supervisor());
            }
            catch (RpcException e) when (IsDown(e) && DateTime.UtcNow < end)
            {
                await Task.Delay(RetryPause);
            }
        }
    }

    /// <summary>The supervisor is not there (killed, restarting): a client retries.</summary>
    private static bool IsDown(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.Internal;

    private static string Extension(Container container) => container switch
    {
        Container.Mkv => "mkv",
        Container.Mpegts => "ts",
        Container.Webm => "webm",
        _ => "mp4",
    };
}
