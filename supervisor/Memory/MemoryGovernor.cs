using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Sessions;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Memory;

/// <summary>
/// Enforces the memory policy every <see cref="MemoryOptions.SampleInterval"/>: samples the busy
/// workers, then walks each session's <see cref="DowngradeLadder"/> — pressed by its own smoothed
/// pressure index, by the dual-source trigger (the worker's view and its cgroup's both over their
/// thresholds), or, for the most pressed worker, by the supervisor's budget running short of the
/// dynamic threshold's headroom. A step is applied through the sessions' Adjust path (a Downgraded
/// event with the numbers that triggered it); the last rung evicts the session.
/// </summary>
internal sealed class MemoryGovernor(
    MemorySampler sampler,
    MemoryBudget budget,
    AdmissionControl admission,
    WorkerRegistry workers,
    SessionManager sessions,
    Telemetry.SupervisorMetrics metrics,
    IOptions<SupervisorOptions> options,
    TimeProvider time,
    ILogger<MemoryGovernor> logger) : BackgroundService
{
    private const double MiB = 1 << 20;

    private readonly MemoryOptions _options = options.Value.Memory;
    private readonly ConcurrentDictionary<string, SessionLadder> _ladders = new(StringComparer.Ordinal);
    private DateTimeOffset _lastReclaim = time.GetUtcNow();

    /// <summary>The session's rung and its moves so far, for GetWorker; null when the governor has not seen it.</summary>
    public (Rung Rung, IReadOnlyList<string> History)? Find(string sessionId) =>
        _ladders.TryGetValue(sessionId, out var ladder) ? (ladder.Ladder.Current, ladder.History) : null;

    /// <summary>Rounds to run: one per sampling interval, and one as soon as the kernel reports on a worker's memory.</summary>
    private readonly Channel<bool> _rounds = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private KernelMemoryEvents? _events;

    /// <summary>Kernel notifications received (PSI triggers, memory.events changes, usage thresholds), for GetStatus.</summary>
    public long KernelNotifications => _events?.Received ?? 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var events = _options.Events ? new KernelMemoryEvents(() => _rounds.Writer.TryWrite(true), logger) : null;
        _events = events;
        var ticks = TickAsync(stoppingToken);

        // A worker that starts a session is sampled and its kernel thresholds set at once: a fast leak
        // must not get a whole sample interval's head start on the kernel's notifications.
        void NewlyBusy() => _rounds.Writer.TryWrite(true);
        workers.WorkerBusy += NewlyBusy;
        try
        {
            await foreach (var _ in _rounds.Reader.ReadAllAsync(stoppingToken))
            {
                await sampler.SampleOnceAsync(stoppingToken);
                events?.Track([.. workers.Busy().Select(w => (w, WatchThreshold(w)))]);
                if (_options.Governor)
                {
                    await GovernAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        workers.WorkerBusy -= NewlyBusy;
        await ticks;
        _events = null;
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SampleInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _rounds.Writer.TryWrite(true);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>The usage at which the pressure index's usage term alone reaches the downgrade line (83% of the limit by default).</summary>
    private long WatchThreshold(WorkerHandle worker) =>
        sampler.Find(worker.Id)?.Last is { HasLimit: true } sample
            ? (long)(sample.Limit * Math.Min(1, _options.Ladder.DowngradeAt / _options.PressureIndex.UsageWeight))
            : long.MaxValue;

    /// <summary>One round of decisions over the busy workers.</summary>
    public async Task GovernAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var running = workers.Busy()
            .Select(w => (Worker: w, Memory: sampler.Find(w.Id), Session: sessions.FindOrNull(w.SessionId)))
            .Where(r => r.Memory?.Last is not null && r.Session is { IsFinished: false })
            .ToList();

        foreach (var gone in _ladders.Keys.Except(running.Select(r => r.Session!.Id)).Where(id => sessions.FindOrNull(id) is null or { IsFinished: true }).ToList())
        {
            _ladders.TryRemove(gone, out _);
        }

        var budgetShort = BudgetPressure(running.Select(r => r.Memory!).ToList(), now);
        var mostPressed = running.OrderByDescending(r => r.Memory!.Smoothed).Select(r => r.Session!.Id).FirstOrDefault();
        foreach (var (worker, memory, session) in running)
        {
            if (session!.Snapshot().Progress?.Video is not { } video)
            {
                continue; // its worker has not said what it encodes yet
            }

            var entry = _ladders.GetOrAdd(session.Id, _ => new SessionLadder(new DowngradeLadder(
                _options.Ladder, new SourceFormat(video.Width, video.Height, Rate(video.FrameRate)), session.Spec.Floors, now, RungOf(session), CodecOf(session), admission.AdmittedOn(session.Id))));
            var pressed = DualSource(memory!) ?? Kernel(worker, memory!) ?? OverLine(worker, memory!) ?? (session.Id == mostPressed ? budgetShort : null);
            var decision = entry.Ladder.Observe(now, memory!.Smoothed, pressed);
            if (!decision.Moves)
            {
                continue;
            }

            var numbers = $"MPI {memory.Smoothed:0.00} (now {memory.Latest:0.00}), {memory.Last!.Current / MiB:0} of {memory.Last.Limit / MiB:0} MiB";
            entry.Record(now, decision, numbers);
            if (decision.To > decision.From)
            {
                _lastReclaim = now;
            }

            await ApplyAsync(session, worker, decision, numbers, cancellationToken);
        }
    }

    /// <summary>Why the worker's two views both say it is over its threshold, or null.</summary>
    private string? DualSource(WorkerMemory memory)
    {
        var sample = memory.Last!;
        if (memory.Report is not { } report || !sample.HasLimit || !DualSourceTrigger.Trips(report.RssBytes, sample.Current, sample.Limit, _options.DualSource))
        {
            return null;
        }

        return $"the worker's own view ({report.RssBytes / MiB:0} MiB resident) and its cgroup's ({sample.Current / MiB:0} MiB charged) are both over their thresholds of its {sample.Limit / MiB:0} MiB limit";
    }

    /// <summary>What the kernel reported about the worker since the last round, when it means pressure (a usage threshold also fires on the way down).</summary>
    private string? Kernel(WorkerHandle worker, WorkerMemory memory)
    {
        var fired = _events?.Take(worker.Id);
        return fired is null || (fired.Threshold is { } line && memory.Last!.Current < line) ? null : fired.What;
    }

    /// <summary>
    /// Whether the last sample itself is over the downgrade line: what a usage threshold reports
    /// at once (v1) is seen here at the next periodic round — with <see cref="MemoryOptions.Events"/>
    /// off, this is how the crossing is noticed (a fixed polling loop, as systemd-oomd's).
    /// </summary>
    private string? OverLine(WorkerHandle worker, WorkerMemory memory)
    {
        var line = WatchThreshold(worker);
        return memory.Last!.Current >= line ? $"usage {memory.Last.Current / MiB:0} MiB is over the {line / MiB:0} MiB downgrade line (periodic sample)" : null;
    }

    /// <summary>Why the budget's headroom is below the dynamic threshold T, or null.</summary>
    private string? BudgetPressure(List<WorkerMemory> running, DateTimeOffset now)
    {
        if (running.Count == 0)
        {
            return null;
        }

        var used = budget.Used();
        var meanPeak = running.Average(m => m.Last!.Peak) / MiB;
        var threshold = DynamicThreshold.MiB(running.Count, meanPeak, 2 * running.Count, now - _lastReclaim, _options.Threshold);
        var headroom = (budget.Bytes - used) / MiB;
        return headroom < threshold
            ? $"the workers hold {used / MiB:0} MiB of the {budget.Bytes / MiB:0} MiB budget, leaving {headroom:0} MiB, less than the {threshold:0} MiB the running workload may still claim"
            : null;
    }

    private async Task ApplyAsync(SessionRecord session, WorkerHandle worker, LadderDecision decision, string numbers, CancellationToken cancellationToken)
    {
        var reason = $"memory governor: {Name(decision.From)} → {Name(decision.To)}: {decision.Reason}; {numbers}";
        metrics.RecordLadderStep(Name(decision.From), Name(decision.To));
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("session {Session} (worker {Worker}) {Reason}", session.Id, worker.Id, reason);
        }

        if (decision.To == Rung.Evicted)
        {
            session.Evict(reason);
            return;
        }

        try
        {
            await sessions.AdjustAsync(
                new AdjustRequest { SessionId = session.Id, Adjustment = decision.Adjustment ?? new Adjustment(), Reset = true, Reason = reason },
                cancellationToken);
        }
        catch (RpcException e)
        {
            // The ladder has moved on: its next step (after the settle time) tries the next rung.
            logger.LogWarning("session {Session}: the memory governor's step to {Rung} was not taken: {Detail}", session.Id, Name(decision.To), e.Status.Detail);
        }
    }

    /// <summary>Where a session stands when the governor first sees it: a requeued one resumes on the rung its adjustment says.</summary>
    public static Rung RungOf(SessionRecord session) => session.Adjustment switch
    {
        null => Rung.Full,
        { Preset.Length: > 0 } => Rung.Encoder,
        { HasMaxHeight: true } => Rung.Resolution,
        { MaxFps: not null } => Rung.FrameRate,
        _ => Rung.Full,
    };

    /// <summary>The session's video codec, the container's default when the spec leaves it open (VP9 in WebM, else H.264).</summary>
    public static VideoCodec CodecOf(SessionRecord session) =>
        session.Spec.Video?.Codec is { } codec and not VideoCodec.Unspecified ? codec
        : session.Spec.Output?.Container == Container.Webm || session.Request.OutputPath.EndsWith(".webm", StringComparison.OrdinalIgnoreCase) ? VideoCodec.Vp9
        : VideoCodec.H264;

    public static double Rate(Rational rate) => rate.Denominator > 0 ? (double)rate.Numerator / rate.Denominator : 0;

    public static string Name(Rung rung) => rung switch
    {
        Rung.FrameRate => "frame_rate",
        Rung.Resolution => "resolution",
        Rung.Encoder => "encoder",
        Rung.Evicted => "evicted",
        _ => "full",
    };

    /// <summary>A session's ladder and its history of moves.</summary>
    private sealed class SessionLadder(DowngradeLadder ladder)
    {
        private readonly List<string> _history = [];

        public DowngradeLadder Ladder { get; } = ladder;

        public IReadOnlyList<string> History
        {
            get
            {
                lock (_history)
                {
                    return [.. _history];
                }
            }
        }

        public void Record(DateTimeOffset now, LadderDecision decision, string numbers)
        {
            lock (_history)
            {
                _history.Add($"{now:HH:mm:ss} {Name(decision.From)} → {Name(decision.To)}: {decision.Reason}; {numbers}");
            }
        }
    }
}
