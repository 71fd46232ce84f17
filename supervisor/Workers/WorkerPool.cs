using Microsoft.Extensions.Options;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Workers;

/// <summary>
/// Warm workers: started, sandboxed (cgroup, namespaces, seccomp, worker user) and READY before a
/// session needs them, so a session — or a restart after a crash — skips the worker's start-up.
/// Each is single-use: it serves one session, never another, and exits; a fresh one takes its place.
/// Only workers of <see cref="SupervisorOptions.WarmProfile"/> are kept warm; their number follows
/// demand (<see cref="WarmPoolSizing"/>). Idle ones are listed by ListWorkers as WORKER_READY.
/// </summary>
internal sealed class WorkerPool(
    WorkerLauncher launcher,
    ProfileCatalog profiles,
    WorkerRegistry registry,
    IOptions<SupervisorOptions> options,
    TimeProvider time,
    ILogger<WorkerPool> logger) : BackgroundService
{
    /// <summary>After a failed start, the pool waits this long before it tries again.</summary>
    private static readonly TimeSpan StartFailurePause = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly SupervisorOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly List<WorkerHandle> _idle = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly WarmPoolSizing _sizing = new(
        options.Value.WarmWorkers, Math.Max(options.Value.WarmWorkers, options.Value.MaxWarmWorkers), options.Value.WarmPoolShrinkAfter, time.GetUtcNow());

    /// <summary>Whether the pool runs: warm workers asked for, and startable here.</summary>
    public bool Enabled => _options.WarmWorkers > 0 && launcher.CanStartWarm;

    public int IdleCount
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    public int Target => _sizing.Target;

    /// <summary>An idle warm worker for a session of <paramref name="profile"/>, or null: the caller starts one.</summary>
    public WorkerHandle? TryTake(string profile)
    {
        if (!Enabled || profile != _options.WarmProfile)
        {
            return null;
        }

        WorkerHandle? taken;
        lock (_gate)
        {
            taken = _idle.FirstOrDefault(w => !w.HasExited);
            if (taken is not null)
            {
                _idle.Remove(taken);
            }
        }

        if (taken is null)
        {
            _sizing.Miss(time.GetUtcNow());
        }

        _wake.Release();
        return taken;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            if (_options.WarmWorkers > 0)
            {
                logger.LogWarning("no warm pool: sandboxed warm workers need a root supervisor (their sessions' files are mounted into them); sessions start their workers on demand");
            }

            return;
        }

        if (profiles.Find(_options.WarmProfile) is not { } profile)
        {
            logger.LogError("no warm pool: Sandbox:WarmProfile names no profile ('{Profile}')", _options.WarmProfile);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            _sizing.Tick(time.GetUtcNow());
            await TrimAsync();
            while (IdleCount < _sizing.Target && !stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var worker = await launcher.StartWarmAsync(profile, stoppingToken);
                    await WarmUpAsync(worker, stoppingToken);
                    registry.Set(worker, WorkerState.WorkerReady);
                    lock (_gate)
                    {
                        _idle.Add(worker);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is WorkerStartException or IOException or InvalidOperationException)
                {
                    logger.LogWarning("a warm worker could not be started ({Error}); retrying in {Pause}", e.Message, StartFailurePause);
                    await Task.Delay(StartFailurePause, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    break;
                }
            }

            try
            {
                await _wake.WaitAsync(TickInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        List<WorkerHandle> idle;
        lock (_gate)
        {
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var worker in idle)
        {
            await DiscardAsync(worker);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>Drops idle workers that died, and those beyond the target (oldest first).</summary>
    private async Task TrimAsync()
    {
        List<WorkerHandle> dropped;
        lock (_gate)
        {
            dropped = [.. _idle.Where(w => w.HasExited)];
            _idle.RemoveAll(dropped.Contains);
            var excess = _idle.Count - _sizing.Target;
            if (excess > 0)
            {
                dropped.AddRange(_idle.Take(excess));
                _idle.RemoveRange(0, excess);
            }
        }

        foreach (var worker in dropped)
        {
            await DiscardAsync(worker);
        }
    }

    /// <summary>
    /// One call over the worker's connection before a session takes it: a JIT worker compiles its
    /// gRPC server path and the supervisor opens the HTTP/2 connection now, not on the session's
    /// clock (they made a warm JIT worker's first Probe ~140 ms slower than its later calls).
    /// </summary>
    private async Task WarmUpAsync(WorkerHandle worker, CancellationToken cancellationToken)
    {
        try
        {
            await worker.Client.GetStatsAsync(new Sandbox.Api.Worker.V1.GetStatsRequest(), deadline: DateTime.UtcNow + _options.WorkerStartTimeout, cancellationToken: cancellationToken);
        }
        catch (Exception e)
        {
            // Neither pooled nor registered yet: nobody else would stop it.
            await worker.DisposeAsync();
            if (e is Grpc.Core.RpcException call)
            {
                throw new WorkerStartException($"the warm worker did not answer its first call: {call.Status.Detail}");
            }

            throw;
        }
    }

    private async Task DiscardAsync(WorkerHandle worker)
    {
        registry.Remove(worker);
        await worker.DisposeAsync();
    }
}
