using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Api;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Storage;
using Sandbox.Supervisor.Supervision;

namespace Sandbox.Supervisor.Sessions;

/// <summary>
/// Owns every session: admits them into a bounded queue, runs at most
/// <see cref="SupervisorOptions.MaxConcurrentSessions"/> at once (each in its own worker), and
/// answers queries. Sessions move forward through QUEUED → STARTING → RUNNING → one terminal state,
/// and back to QUEUED only when a supervisor stop interrupted them: every session is in the
/// <see cref="SessionStore"/>, and the next supervisor resumes those that had not ended.
/// </summary>
internal sealed class SessionManager : BackgroundService
{
    private readonly ConcurrentDictionary<string, SessionRecord> _sessions = new();
    private readonly Channel<SessionRecord> _queue;
    private readonly SupervisorOptions _options;
    private readonly SessionSpecTranslator _translator;
    private readonly SessionRunner _runner;
    private readonly StateDirectories _directories;
    private readonly SessionStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionManager> _logger;
    private int _waiting;
    private int _running;
    private volatile bool _draining;

    private readonly RestartIntensity _intensity;
    private readonly Quarantine _quarantine;
    private readonly Memory.AdmissionControl _admission;
    private readonly Telemetry.SupervisorMetrics _metrics;
    private readonly Lock _drainGate = new();
    private Task? _drain;

    public SessionManager(
        IOptions<SupervisorOptions> options,
        SessionSpecTranslator translator,
        SessionRunner runner,
        StateDirectories directories,
        RestartIntensity intensity,
        Quarantine quarantine,
        Memory.AdmissionControl admission,
        Telemetry.SupervisorMetrics metrics,
        SessionStore store,
        TimeProvider time,
        ILogger<SessionManager> logger)
    {
        _metrics = metrics;
        _store = store;
        _directories = directories;
        _intensity = intensity;
        _quarantine = quarantine;
        _admission = admission;
        _options = options.Value;
        _translator = translator;
        _runner = runner;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateUnbounded<SessionRecord>(new UnboundedChannelOptions { SingleWriter = false });
    }

    /// <summary>Sessions admitted but not yet picked up by an execution slot.</summary>
    public int QueuedCount => Volatile.Read(ref _waiting);

    /// <summary>
    /// Takes over the sessions a previous supervisor left in the store: those that ended are kept
    /// for queries; those that had not are queued again (oldest first) and resume from their
    /// checkpoints. Then removes what the previous run left that no session will use.
    /// </summary>
    public void Recover()
    {
        var resuming = new List<SessionRecord>();
        foreach (var stored in _store.LoadAll())
        {
            var record = SessionRecord.Restore(stored, _time, _store);
            _sessions[record.Id] = record;
            if (!record.IsFinished)
            {
                if (record.State != SessionState.Queued)
                {
                    record.Requeue("the supervisor restarted: the session resumes from its last checkpoint in a fresh worker");
                }

                resuming.Add(record);
            }
        }

        _directories.RemoveLeftovers(
            resuming.Select(r => r.Id).ToHashSet(StringComparer.Ordinal),
            resuming.Select(r => r.Request.InputPath).ToHashSet(StringComparer.Ordinal),
            _sessions.Values.Where(r => r.Snapshot().DownloadReady).Select(r => r.Id).ToHashSet(StringComparer.Ordinal));
        foreach (var record in resuming)
        {
            Interlocked.Increment(ref _waiting);
            _queue.Writer.TryWrite(record);
        }

        if (!_sessions.IsEmpty && _logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("recovered {Sessions} sessions from the store; {Resuming} resume", _sessions.Count, resuming.Count);
        }
    }

    public Session Submit(SessionSpec spec)
    {
        if (_draining)
        {
            throw RpcErrors.Create(ErrorReason.ShuttingDown, "the supervisor is shutting down and admits no new sessions; retry on another node or once it is back");
        }

        var id = $"s-{Guid.NewGuid():N}"[..18];
        var request = _translator.Translate(id, spec);
        if (_quarantine.List().Count > 0 && _quarantine.Find(Worker.Engine.InputFingerprint.Of(request.InputPath).SampleSha256) is { } poison)
        {
            throw RpcErrors.Create(
                ErrorReason.PoisonInput,
                $"this input is quarantined: it killed workers {poison.Deaths} times ({poison.Death} at {poison.Position}) in session {poison.SessionId}; an operator can clear fingerprint {poison.Fingerprint} with ClearQuarantine");
        }

        if (_intensity.IsExhausted)
        {
            throw RpcErrors.Create(
                ErrorReason.CapacityExhausted,
                $"workers were restarted {_intensity.Limit} times within {_intensity.Window.TotalSeconds:0} s: no new sessions until that calms down (retry in {Math.Ceiling(_intensity.RetryAfter.TotalSeconds):0} s)",
                retryAfter: _intensity.RetryAfter);
        }

        if (_admission.Overcommitted() is { } full)
        {
            _metrics.RecordAdmissionRefusal("submit");
            throw RpcErrors.Create(
                ErrorReason.CapacityExhausted,
                $"{full}: no new sessions until running ones end (retry in {_admission.RetryInterval.TotalSeconds:0} s)",
                retryAfter: _admission.RetryInterval);
        }

        // Capacity is the running slots plus the queue; a session counts from admission until its slot is free again.
        if (Interlocked.Increment(ref _waiting) + Volatile.Read(ref _running) > _options.MaxQueuedSessions + _options.MaxConcurrentSessions)
        {
            Interlocked.Decrement(ref _waiting);
            throw RpcErrors.Create(
                ErrorReason.CapacityExhausted,
                $"{_options.MaxQueuedSessions} sessions are already waiting; retry when some have finished");
        }

        var record = new SessionRecord(id, spec, request, _time, _store);
        record.RecordQueued();
        _sessions[id] = record;

        // Taken before queueing: an idle slot may start the session at once, and Submit answers QUEUED.
        var queued = record.Snapshot();
        _queue.Writer.TryWrite(record);
        Forget();
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("session {Session} queued: {Input} → {Output}", id, request.InputPath, request.OutputPath);
        }
        return queued;
    }

    /// <summary>The session, or null when there is none with this id (any more).</summary>
    public SessionRecord? FindOrNull(string id) => _sessions.GetValueOrDefault(id);

    public SessionRecord Find(string id) =>
        _sessions.TryGetValue(id, out var record)
            ? record
            : throw RpcErrors.Create(ErrorReason.SessionNotFound, $"no session has id '{id}'");

    public IEnumerable<SessionRecord> All => _sessions.Values.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal);

    public Session Cancel(string id)
    {
        var record = Find(id);
        if (record.IsFinished)
        {
            throw RpcErrors.Create(ErrorReason.SessionFinished, $"session '{id}' has already ended ({record.State})");
        }

        // A queued session ends here; a running one ends when its runner has stopped the worker.
        if (record.State == SessionState.Queued)
        {
            record.TryTransition(SessionState.Cancelled, new Failure { Reason = ErrorReason.Cancelled, Message = "cancelled before it started" });
        }

        record.Cancellation.Cancel();
        return record.Snapshot();
    }

    /// <summary>Hands an adjustment to the session's running worker; it takes effect at the worker's next chunk.</summary>
    public async Task<AdjustResponse> AdjustAsync(AdjustRequest request, CancellationToken cancellationToken)
    {
        var record = Find(request.SessionId);
        if (record.IsFinished)
        {
            throw RpcErrors.Create(ErrorReason.SessionFinished, $"session {record.Id} has ended ({record.State})");
        }

        if (request.Adjustment is null)
        {
            throw RpcErrors.InvalidSpec("adjustment", "is required");
        }

        var worker = record.Worker
            ?? throw RpcErrors.Create(ErrorReason.AdjustmentRefused, $"session {record.Id} has no running worker yet ({record.State}): adjust it once it is RUNNING");
        AdjustWorkerResponse answer;
        try
        {
            answer = await worker.AdjustAsync(
                new AdjustWorkerRequest { Adjustment = request.Adjustment, Reset = request.Reset }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
        }
        catch (RpcException e)
        {
            throw RpcErrors.Create(ErrorReason.AdjustmentRefused, $"the session's worker did not take the adjustment ({e.StatusCode}: {e.Status.Detail})");
        }

        if (!answer.Accepted)
        {
            throw RpcErrors.Create(ErrorReason.AdjustmentRefused, answer.Detail);
        }

        record.RecordAdjustment(request.Adjustment, request.Reset, answer.InForce, answer.Detail, request.Reason is { Length: > 0 } reason ? reason : "requested through the API");
        return new AdjustResponse { Session = record.Snapshot(), Detail = answer.Detail, FromChunk = answer.FromChunk };
    }

    public IReadOnlyDictionary<string, int> CountByState() =>
        _sessions.Values.GroupBy(s => s.State).ToDictionary(g => g.Key.ToString().ToUpperInvariant(), g => g.Count());

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.MaxConcurrentSessions).Select(_ => RunSlotAsync(stoppingToken)));

    /// <summary>True from the moment the supervisor was asked to stop: Submit answers SHUTTING_DOWN and health NOT_SERVING.</summary>
    public bool IsDraining => _draining;

    /// <summary>
    /// Stops: drains (if <see cref="DrainAsync"/> has not already), then stops the workers (cancel
    /// request, grace period, kill). Sessions that had not ended stay in the store as they are, for
    /// the next supervisor to resume.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        await base.StopAsync(cancellationToken);
    }

    /// <summary>
    /// Admits nothing more and gives each running session up to <see cref="SupervisorOptions.DrainTimeout"/>
    /// to make its next checkpoint durable. Called while the API still listens, so clients get
    /// SHUTTING_DOWN (and load balancers a NOT_SERVING health) rather than a refused connection.
    /// </summary>
    public Task DrainAsync(CancellationToken cancellationToken)
    {
        lock (_drainGate)
        {
            _drain ??= DrainOnceAsync(cancellationToken);
            return _drain;
        }
    }

    private async Task DrainOnceAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var running = _sessions.Values.Where(s => s.State == SessionState.Running).ToList();
        if (running.Count > 0 && _options.DrainTimeout > TimeSpan.Zero)
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("draining: {Count} running sessions get up to {Timeout} to reach a checkpoint", running.Count, _options.DrainTimeout);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.DrainTimeout);
            await Task.WhenAll(running.Select(r => r.WaitForNextCheckpointAsync(timeout.Token)));
        }
    }

    /// <summary>One execution slot: takes the next queued session and runs it to its end.</summary>
    private async Task RunSlotAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var record in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                Interlocked.Increment(ref _running);
                Interlocked.Decrement(ref _waiting);
                try
                {
                    if (!record.IsFinished)
                    {
                        await _runner.RunAsync(record, stoppingToken);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _running);
                }

                // Evicted or postponed for memory (not stopped with the supervisor): back in the queue after a pause, so memory can free up first.
                if (record.State == SessionState.Queued && !stoppingToken.IsCancellationRequested)
                {
                    _ = RequeueAfterAsync(record, record.RequeueDelay ?? _options.Memory.EvictionRequeueDelay, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RequeueAfterAsync(SessionRecord record, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return; // stopping: the next supervisor resumes it from the store
        }

        Interlocked.Increment(ref _waiting);
        _queue.Writer.TryWrite(record);
    }

    /// <summary>Drops the oldest finished sessions beyond the retention limit.</summary>
    private void Forget()
    {
        var excess = _sessions.Count - _options.RetainedSessions;
        if (excess <= 0)
        {
            return;
        }

        foreach (var old in _sessions.Values.Where(s => s.IsFinished).OrderBy(s => s.CreatedAt).Take(excess).ToList())
        {
            _sessions.TryRemove(old.Id, out _);
            _store.Delete(old.Id);

            // Its download can no longer be asked for.
            foreach (var download in Directory.EnumerateFiles(_directories.Downloads, $"{old.Id}.*"))
            {
                File.Delete(download);
            }
        }
    }
}
