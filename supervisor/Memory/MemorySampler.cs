using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Memory;

/// <summary>
/// Samples the memory of every worker that runs a session (the governor calls it every
/// <see cref="MemoryOptions.SampleInterval"/>) into a <see cref="PressureWindow"/> per worker: the
/// smoothed Memory Pressure Index the governor and GetWorker read. It measures its own cost (wall
/// time per round), which GetStatus reports.
/// </summary>
internal sealed class MemorySampler(WorkerRegistry workers, IOptions<SupervisorOptions> options, TimeProvider time)
{
    private readonly MemoryOptions _options = options.Value.Memory;
    private readonly ConcurrentDictionary<string, WorkerMemory> _memory = new(StringComparer.Ordinal);
    private long _rounds;
    private long _roundTicks;

    /// <summary>What was last sampled of a worker, or null when it has not been sampled (yet).</summary>
    public WorkerMemory? Find(string workerId) => _memory.GetValueOrDefault(workerId);

    /// <summary>Mean wall time of one sampling round's cgroup reads (all busy workers), over the rounds that had any.</summary>
    public TimeSpan MeanRoundCost =>
        Interlocked.Read(ref _rounds) is var rounds and > 0 ? Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _roundTicks) / rounds) : TimeSpan.Zero;

    /// <summary>
    /// Samples every busy worker once (what the periodic loop runs): its cgroup — the part whose
    /// cost is measured — and then its own report of its memory (the second source of the
    /// dual-source trigger), asked for in parallel and waited for at most one interval.
    /// </summary>
    public async Task SampleOnceAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var busy = workers.Busy();
        var sampled = busy.Select(worker =>
        {
            var memory = _memory.GetOrAdd(worker.Id, _ => new WorkerMemory(new PressureWindow(_options.PressureIndex)));
            memory.Add(worker.Cgroup.ReadMemory(now));
            return (worker, memory);
        }).ToList();

        foreach (var gone in _memory.Keys.Except(busy.Select(w => w.Id)).ToList())
        {
            _memory.TryRemove(gone, out _);
        }

        // Rounds with no worker cost nothing and would only thin the mean.
        if (sampled.Count > 0)
        {
            Interlocked.Add(ref _roundTicks, Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _rounds);
        }

        await Task.WhenAll(sampled.Select(async s => s.memory.Report = await ReportAsync(s.worker, cancellationToken)));
    }

    /// <summary>The worker's own view (GetStats), or null when it does not answer within a sampling interval (busy, dying or gone).</summary>
    private async Task<WorkerStats?> ReportAsync(WorkerHandle worker, CancellationToken cancellationToken)
    {
        try
        {
            return await worker.Client.GetStatsAsync(new GetStatsRequest(), deadline: DateTime.UtcNow + _options.SampleInterval, cancellationToken: cancellationToken);
        }
        catch (Grpc.Core.RpcException)
        {
            return null;
        }
    }

    /// <summary>Adds what the sampler knows of <paramref name="worker"/> to its usage, for GetWorker/ListWorkers.</summary>
    public void Describe(global::Sandbox.Api.V1.Worker worker)
    {
        if (Find(worker.Id) is not { Last: { } sample } memory)
        {
            return;
        }

        worker.Usage ??= new WorkerUsage();
        worker.Usage.MemoryPressureIndex = memory.Smoothed;
        worker.Usage.MemoryPressureIndexLatest = memory.Latest;
        worker.Usage.AnonBytes = sample.Anon;
        worker.Usage.FileBytes = sample.File;
        worker.Usage.Refaults = sample.Refaults;
        worker.Usage.MemoryHighEvents = sample.HighEvents;
        worker.Usage.MemoryMaxEvents = sample.MaxEvents;
        if (memory.Report is { } report)
        {
            worker.Usage.WorkerResidentBytes = report.RssBytes;
            worker.Usage.WorkerManagedBytes = report.ManagedBytes;
        }
    }
}
