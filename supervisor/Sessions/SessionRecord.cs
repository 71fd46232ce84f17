using Google.Protobuf.WellKnownTypes;
using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Supervision;
using WorkerClient = Sandbox.Api.Worker.V1.Worker.WorkerClient;

namespace Sandbox.Supervisor.Sessions;

/// <summary>
/// One session: its state machine and its append-only event log. Every change is an event with the
/// next sequence number, so <c>Watch</c> can replay from any point and then follow live changes.
/// With a <see cref="SessionStore"/>, every change is written there before anyone can see it.
/// </summary>
internal sealed class SessionRecord(string id, SessionSpec spec, TranscodeRequest request, TimeProvider time, SessionStore? store = null)
{
    private readonly Lock _gate = new();
    private readonly List<SessionEvent> _events = [];
    private readonly List<SessionEvent> _unsaved = [];
    private Session _session = new()
    {
        Id = id,
        Spec = spec,
        State = SessionState.Queued,
        CreatedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
        UpdatedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
    };

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _deaths = [];
    private WorkerClient? _worker;
    private Adjustment? _adjustment;

    /// <summary>A session as a previous supervisor left it in <paramref name="store"/>: same state, events and adjustment.</summary>
    public static SessionRecord Restore(StoredSession stored, TimeProvider time, SessionStore store)
    {
        var record = new SessionRecord(stored.Snapshot.Id, stored.Snapshot.Spec, stored.Request, time, store)
        {
            _session = stored.Snapshot.Clone(),
            _adjustment = stored.Adjustment?.Clone(),
        };
        record._events.AddRange(stored.Events);
        record._deaths.AddRange(stored.Deaths);
        return record;
    }

    public string Id => id;

    public SessionSpec Spec => spec;

    /// <summary>The worker request this session runs, with paths resolved and checked at Submit.</summary>
    public TranscodeRequest Request => request;

    public DateTimeOffset CreatedAt => _session.CreatedAt.ToDateTimeOffset();

    /// <summary>When this supervisor last classified a death of the session's worker (null: none since it started).</summary>
    public DateTimeOffset? LastRestartAt { get; private set; }

    /// <summary>Signalled by Cancel; the runner stops the worker when it fires.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Replaced once an eviction was handled (a fired source cannot be reset); like <see cref="Cancellation"/>, never disposed: tokens of it may still be linked.</summary>
    private CancellationTokenSource Eviction { get; set; } = new();

    /// <summary>Signalled when the memory governor evicts the session; the runner stops the worker, then requeues or fails it.</summary>
    public CancellationToken EvictionToken
    {
        get
        {
            lock (_gate)
            {
                return Eviction.Token;
            }
        }
    }

    /// <summary>Why the memory governor evicted the running session, or null.</summary>
    public string? EvictionReason { get; private set; }

    /// <summary>Asks the runner to stop the session's worker for the memory governor.</summary>
    public void Evict(string reason)
    {
        CancellationTokenSource eviction;
        lock (_gate)
        {
            EvictionReason = reason;
            eviction = Eviction;
        }

        eviction.Cancel();
    }

    /// <summary>Forgets an eviction once the runner has handled it, so the session's next run starts afresh.</summary>
    public void ClearEviction()
    {
        lock (_gate)
        {
            EvictionReason = null;
            Eviction = new CancellationTokenSource();
        }
    }

    public SessionState State
    {
        get
        {
            lock (_gate)
            {
                return _session.State;
            }
        }
    }

    public bool IsFinished => IsTerminal(State);

    public static bool IsTerminal(SessionState state) => state is SessionState.Completed or SessionState.Failed or SessionState.Cancelled;

    public Session Snapshot()
    {
        lock (_gate)
        {
            return _session.Clone();
        }
    }

    /// <summary>Moves to <paramref name="state"/>; false when the session has already ended (terminal states are final).</summary>
    public bool TryTransition(SessionState state, Failure? failure = null, string detail = "")
    {
        lock (_gate)
        {
            if (IsTerminal(_session.State) || _session.State == state)
            {
                return false;
            }

            _session.State = state;
            if (failure is not null)
            {
                _session.Failure = failure;
            }

            if (state is not (SessionState.Starting or SessionState.Running))
            {
                _session.WorkerPid = 0;
            }

            Append(new SessionEvent { StateChanged = new StateChanged { State = state, Failure = failure, Detail = detail } });
            Save();
            return true;
        }
    }

    /// <summary>
    /// Records that a worker runs the session: the move to RUNNING, or — after a restart, when the
    /// session is RUNNING already — one more RUNNING event naming the worker that took over.
    /// </summary>
    public void RecordRunning(string detail)
    {
        if (TryTransition(SessionState.Running, detail: detail))
        {
            return;
        }

        lock (_gate)
        {
            if (_session.State == SessionState.Running)
            {
                Append(new SessionEvent { StateChanged = new StateChanged { State = SessionState.Running, Detail = detail } });
                Save();
            }
        }
    }

    /// <summary>
    /// Puts a session that had not ended back in the queue (QUEUED again), for a fresh worker to
    /// resume it from its checkpoints: after a supervisor restart. False when it has ended.
    /// </summary>
    /// <param name="retryAfter">How long it waits before it is queued again (null: the memory governor's eviction delay).</param>
    public bool Requeue(string detail, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            if (IsTerminal(_session.State))
            {
                return false;
            }

            RequeueDelay = retryAfter;

            _session.State = SessionState.Queued;
            _session.WorkerPid = 0;
            _worker = null;
            Append(new SessionEvent { StateChanged = new StateChanged { State = SessionState.Queued, Detail = detail } });
            Save();
            return true;
        }
    }

    /// <summary>How long the session waits after its last <see cref="Requeue"/> before it is queued again; null for the default.</summary>
    public TimeSpan? RequeueDelay { get; private set; }

    public void RecordQueued() => Update(() => Append(new SessionEvent { StateChanged = new StateChanged { State = SessionState.Queued } }));

    public void ReportProgress(global::Sandbox.Api.V1.Progress progress) => Update(() =>
    {
        _session.Progress = progress;
        Append(new SessionEvent { Progress = progress });
    });

    public void AttachWorker(int pid, WorkerClient client) => Update(() =>
    {
        _session.WorkerPid = pid;
        _session.Attempts++;
        _worker = client;
    });

    /// <summary>How the session's workers died so far (death class names, in order).</summary>
    public IReadOnlyList<string> Deaths
    {
        get
        {
            lock (_gate)
            {
                return [.. _deaths];
            }
        }
    }

    /// <summary>Records that the session's worker died and a fresh one follows after <paramref name="backoff"/>.</summary>
    public void RecordRestart(WorkerDeath death, TimeSpan backoff) => Update(() =>
    {
        LastRestartAt = time.GetUtcNow();
        _deaths.Add(death.Name);
        Append(new SessionEvent
        {
            WorkerRestarted = new WorkerRestarted
            {
                Attempt = _session.Attempts + 1,
                Death = death.Name,
                Detail = death.Failure.Message,
                Backoff = Duration.FromTimeSpan(backoff),
            },
        });
    });

    /// <summary>Tells the session's watchers about a resource its worker is short of (CPU on a busy host…), without changing its state.</summary>
    public void RecordResourceWarning(string resource, string message) => Update(() =>
        Append(new SessionEvent { ResourceWarning = new ResourceWarning { Resource = resource, Message = message } }));

    /// <summary>Forgets the worker once it stops: adjustments then have no one to go to.</summary>
    public void DetachWorker() => Update(() => _worker = null);

    /// <summary>Keeps an ended worker's last stderr lines (Get shows them); a silent worker leaves the earlier ones.</summary>
    public void KeepWorkerStderr(string tail)
    {
        if (tail.Length > 0)
        {
            Update(() => _session.WorkerStderrTail = tail);
        }
    }

    /// <summary>The running worker's client, or null while none runs.</summary>
    public WorkerClient? Worker
    {
        get
        {
            lock (_gate)
            {
                return _worker;
            }
        }
    }

    /// <summary>
    /// The adjustment the session's chunks are encoded under (accumulated), for a worker that
    /// resumes it. Null while there is none.
    /// </summary>
    public Adjustment? Adjustment
    {
        get
        {
            lock (_gate)
            {
                return _adjustment?.Clone();
            }
        }
    }

    /// <summary>Records an adjustment the worker accepted, as a Downgraded event.</summary>
    public void RecordAdjustment(Adjustment adjustment, bool reset, string inForce, string detail, string reason) => Update(() =>
    {
        _adjustment = reset || _adjustment is null ? adjustment.Clone() : Accumulate(_adjustment, adjustment);
        _session.Adjustment = inForce;
        Append(new SessionEvent { Downgraded = new Downgraded { Step = detail, Reason = reason } });
    });

    /// <summary>True once the session encodes in software for good: its hardware preference could not be met, or its hardware encoder failed.</summary>
    public bool SoftwareOnly { get; private set; }

    /// <summary>Records why the session encodes in software although it preferred hardware (a Downgraded event), once.</summary>
    public void RecordSoftwareEncoding(string reason) => Update(() =>
    {
        if (!SoftwareOnly)
        {
            SoftwareOnly = true;
            Append(new SessionEvent { Downgraded = new Downgraded { Step = "hardware → software encoder", Reason = reason } });
        }
    });

    public void RecordOutput(string? outputPath, bool downloadReady, IEnumerable<string> streams) => Update(() =>
    {
        _session.OutputPath = outputPath ?? "";
        _session.DownloadReady = downloadReady;
        _session.OutputStreams.Clear();
        _session.OutputStreams.AddRange(streams);
    });

    /// <summary>
    /// Events from <paramref name="fromSequence"/> on, whether the log is closed (the session ended),
    /// and a task that completes at the next change.
    /// </summary>
    public (IReadOnlyList<SessionEvent> Events, bool Finished, Task Changed) ReadFrom(long fromSequence)
    {
        lock (_gate)
        {
            var skip = (int)Math.Clamp(fromSequence - 1, 0, _events.Count);
            return (_events.Skip(skip).ToList(), IsTerminal(_session.State), _changed.Task);
        }
    }

    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>
    /// Completes when the session's worker has made one more chunk durable, the session is no
    /// longer running, or <paramref name="cancellationToken"/> fires; at once for a session without checkpoints.
    /// </summary>
    public Task WaitForNextCheckpointAsync(CancellationToken cancellationToken)
    {
        var first = Snapshot().Progress?.Checkpoints?.Count ?? 0;
        return WaitUntilAsync(
            s => request.Checkpoints is null || s.State != SessionState.Running || (s.Progress?.Checkpoints?.Count ?? 0) > first,
            cancellationToken);
    }

    /// <summary>Completes once <paramref name="condition"/> holds for the session (checked at every change) or <paramref name="cancellationToken"/> fires.</summary>
    public async Task WaitUntilAsync(Func<Session, bool> condition, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_session))
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The members <paramref name="next"/> sets, over <paramref name="current"/>: adjustments accumulate as the worker's do.</summary>
    private static Adjustment Accumulate(Adjustment current, Adjustment next)
    {
        var merged = current.Clone();
        if (next.MaxFps is not null) merged.MaxFps = next.MaxFps;
        if (next.HasMaxHeight) merged.MaxHeight = next.MaxHeight;
        if (next.Preset.Length > 0) merged.Preset = next.Preset;
        if (next.HasThreads) merged.Threads = next.Threads;
        if (next.HasLookahead) merged.Lookahead = next.Lookahead;
        return merged;
    }

    private void Update(Action change)
    {
        lock (_gate)
        {
            change();
            _session.UpdatedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow());
            Save();
        }
    }

    /// <summary>Writes the change (under the lock, so the store never runs behind what clients saw).</summary>
    private void Save()
    {
        store?.Save(_session, request, _adjustment, _deaths, _unsaved);
        _unsaved.Clear();
    }

    /// <summary>Appends under the lock and wakes every watcher.</summary>
    private void Append(SessionEvent sessionEvent)
    {
        sessionEvent.SessionId = id;
        sessionEvent.Sequence = _events.Count + 1;
        sessionEvent.Time = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        _events.Add(sessionEvent);
        _unsaved.Add(sessionEvent);
        _session.LastSequence = sessionEvent.Sequence;
        _session.UpdatedAt = sessionEvent.Time;
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }
}
