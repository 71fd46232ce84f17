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
/// answers queries. Sessions only move forward through QUEUED → STARTING → RUNNING → one terminal state.
/// </summary>
internal sealed class SessionManager : BackgroundService
{
    private readonly ConcurrentDictionary<string, SessionRecord> _sessions = new();
    private readonly Channel<SessionRecord> _queue;
    private readonly SupervisorOptions _options;
    private readonly SessionSpecTranslator _translator;
    private readonly SessionRunner _runner;
    private readonly StateDirectories _directories;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionManager> _logger;
    private int _waiting;
    private int _running;

    private readonly RestartIntensity _intensity;
    private readonly Quarantine _quarantine;

    public SessionManager(
        IOptions<SupervisorOptions> options,
        SessionSpecTranslator translator,
        SessionRunner runner,
        StateDirectories directories,
        RestartIntensity intensity,
        Quarantine quarantine,
        TimeProvider time,
        ILogger<SessionManager> logger)
    {
        _directories = directories;
        _intensity = intensity;
        _quarantine = quarantine;
        _options = options.Value;
        _translator = translator;
        _runner = runner;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateUnbounded<SessionRecord>(new UnboundedChannelOptions { SingleWriter = false });
    }

    /// <summary>Sessions admitted but not yet picked up by an execution slot.</summary>
    public int QueuedCount => Volatile.Read(ref _waiting);

    public Session Submit(SessionSpec spec)
    {
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
                $"workers were restarted {_intensity.Limit} times within {_intensity.Window.TotalSeconds:0} s: no new sessions until that calms down (retry in {Math.Ceiling(_intensity.RetryAfter.TotalSeconds):0} s)");
        }

        // Capacity is the running slots plus the queue; a session counts from admission until its slot is free again.
        if (Interlocked.Increment(ref _waiting) + Volatile.Read(ref _running) > _options.MaxQueuedSessions + _options.MaxConcurrentSessions)
        {
            Interlocked.Decrement(ref _waiting);
            throw RpcErrors.Create(
                ErrorReason.CapacityExhausted,
                $"{_options.MaxQueuedSessions} sessions are already waiting; retry when some have finished");
        }

        var record = new SessionRecord(id, spec, request, _time);
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

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var record in _sessions.Values.Where(s => !s.IsFinished))
        {
            record.Cancellation.Cancel();
        }

        await base.StopAsync(cancellationToken);
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
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
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

            // Its download can no longer be asked for.
            foreach (var download in Directory.EnumerateFiles(_directories.Downloads, $"{old.Id}.*"))
            {
                File.Delete(download);
            }
        }
    }
}
