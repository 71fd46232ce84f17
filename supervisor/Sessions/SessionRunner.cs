using System.Diagnostics;
using Grpc.Core;
using Polly;
using Polly.Retry;
using Microsoft.Extensions.Options;
using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Hardware;
using Sandbox.Supervisor.Isolation.Identity;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Isolation.Seccomp;
using Sandbox.Supervisor.Memory;
using Sandbox.Supervisor.Storage;
using Sandbox.Supervisor.Supervision;
using Sandbox.Supervisor.Workers;
using Sandbox.Supervisor.Workers.Hangs;
using CancelRequest = Sandbox.Api.Worker.V1.CancelRequest;

namespace Sandbox.Supervisor.Sessions;

/// <summary>
/// Runs one session in a fresh worker: start it, stream its progress into the session's events,
/// and carry the session to exactly one terminal state — whatever happens to the worker. A worker
/// that dies of something a fresh one may survive (a crash, an OOM kill, a lost connection) is
/// replaced, with backoff, and the new one resumes from the session's last checkpoint, within the
/// session's restart budget and the supervisor-wide restart intensity.
/// </summary>
internal sealed class SessionRunner(
    WorkerLauncher launcher,
    WorkerPool pool,
    WorkerRegistry registry,
    ProfileCatalog profiles,
    SeccompPrograms seccomp,
    WorkerUser workerUser,
    StateDirectories directories,
    IOptions<SupervisorOptions> options,
    RestartIntensity intensity,
    Quarantine quarantine,
    DeathCounters counters,
    AdmissionControl admission,
    Telemetry.SupervisorMetrics metrics,
    Hardware.HardwarePlanner hardware,
    TimeProvider time,
    ILogger<SessionRunner> logger)
{
    private readonly SupervisorOptions _options = options.Value;

    public async Task RunAsync(SessionRecord record, CancellationToken stoppingToken)
    {
        // Cancel, the session's deadline, an eviction and supervisor shutdown all stop the worker the same way.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(record.Cancellation.Token, record.EvictionToken, stoppingToken);
        var remaining = RemainingTime(record);
        if (remaining is { } r)
        {
            stop.CancelAfter(r > TimeSpan.Zero ? r : TimeSpan.Zero);
        }

        if (!record.TryTransition(SessionState.Starting))
        {
            return;
        }

        // One trace per run of the session, from its Submit (the queue's wait included) to where this run leaves it.
        using var span = Telemetry.SupervisorTrace.Source.StartActivity(
            "sandbox.session", ActivityKind.Internal, parentContext: default, tags: [new("session.id", record.Id)], startTime: record.CreatedAt);

        OutputStaging staging;
        try
        {
            staging = OutputStaging.Open(record.Request.OutputPath, record.Id, workerUser, directories.Staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Finish(record, new Failure { Reason = ErrorReason.OutputFailed, Message = $"the output directory cannot take the session's staging directory: {e.Message}" }, stop.Token);
            return;
        }

        // The staging directory (and the checkpoints in it) lives across the session's workers, and
        // goes before the session ends, so a client that sees the end never sees it.
        var attempt = await SuperviseAsync(record, staging, stop.Token);
        admission.Release(record.Id);
        if (attempt.Postponed is { } wait && !stop.IsCancellationRequested)
        {
            // Its staging directory (and any checkpoints) stays for when memory allows.
            record.Requeue($"{wait}; tried again in {admission.RetryInterval.TotalSeconds:0} s", admission.RetryInterval);
            return;
        }

        var outcome = attempt.Postponed is null ? attempt.Failure : new Failure { Reason = ErrorReason.Cancelled, Message = "the session was stopped while waiting for memory" };
        var pastDeadline = RemainingTime(record) is { } left && left <= TimeSpan.Zero;
        if (outcome is not null && record.EvictionReason is { } evicted && !record.Cancellation.IsCancellationRequested && !stoppingToken.IsCancellationRequested && !pastDeadline)
        {
            record.ClearEviction();
            if (record.Spec.FailOnEviction)
            {
                staging.Dispose();
                admission.Forget(record.Id);
                record.TryTransition(SessionState.Failed, new Failure { Reason = ErrorReason.OomKilled, Message = $"evicted by the memory governor: {evicted}" });
            }
            else
            {
                // Its checkpoints stay: the session manager queues it again once the eviction delay has passed.
                record.Requeue($"evicted by the memory governor: {evicted}; it resumes from its last checkpoint when memory allows");
            }

            return;
        }

        if (outcome is not null && stoppingToken.IsCancellationRequested && !record.Cancellation.IsCancellationRequested && !pastDeadline)
        {
            // The supervisor is stopping, not the session: it keeps its checkpoints and stays
            // unfinished in the store, for the next supervisor to resume.
            record.Requeue("the supervisor stopped: the session resumes from its last checkpoint when it starts again");
            return;
        }

        staging.Dispose();
        admission.Forget(record.Id);
        Finish(record, outcome, stop.Token);
        span?.SetTag("session.state", record.State.ToString().ToUpperInvariant());
        if (outcome is not null)
        {
            span?.SetStatus(ActivityStatusCode.Error, outcome.Message);
        }
    }

    /// <summary>Runs workers for the session until one completes it, fails it, a death is not to be restarted, or admission postpones it.</summary>
    private async Task<Attempt> SuperviseAsync(SessionRecord record, OutputStaging staging, CancellationToken stop)
    {
        var restarts = 0;
        var deaths = new Dictionary<(DeathClass, TimeSpan), int>();
        QuarantineEntry? poison = null;
        var pipeline = new ResiliencePipelineBuilder<Attempt> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<Attempt>
            {
                MaxRetryAttempts = Math.Max(1, _options.MaxRestartsPerSession),
                ShouldHandle = args => ValueTask.FromResult(
                    _options.MaxRestartsPerSession > 0 && args.Outcome.Result?.Death is { Restartable: true } && poison is null
                    && !stop.IsCancellationRequested && !intensity.IsExhausted),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    RestartBackoff.Delay(args.AttemptNumber + 1, _options.RestartBaseDelay, _options.RestartMaxDelay, Random.Shared.NextDouble())),
                OnRetry = args =>
                {
                    restarts++;
                    counters.RecordRestart();
                    intensity.Record();
                    record.RecordRestart(args.Outcome.Result!.Death!, args.RetryDelay);
                    return default;
                },
            })
            .Build();
        Attempt last;
        try
        {
            last = await pipeline.ExecuteAsync(
                async token =>
                {
                    var attempt = await RunWorkerAsync(record, staging, token);
                    if (attempt.Failure is { Reason: ErrorReason.HardwareUnavailable } failed && record.Spec.Hardware == HardwarePreference.HardwarePreferred)
                    {
                        // Its hardware encoder failed (at start or at a later chunk): the chunks still to make go to software.
                        record.RecordSoftwareEncoding($"the hardware encoder failed: {failed.Message}");
                        attempt = await RunWorkerAsync(record, staging, token);
                    }

                    if (attempt.Death is { } died)
                    {
                        counters.RecordDeath(died);
                    }
                    if (attempt.Death is { Class: DeathClass.NativeCrash or DeathClass.Abort or DeathClass.Hang } death)
                    {
                        if (death.Excuse is { } excuse)
                        {
                            if (logger.IsEnabled(LogLevel.Information))
                            {
                                logger.LogInformation("session {Session}: the worker's {Death} does not count toward quarantine: {Excuse}", record.Id, death.Name, excuse);
                            }
                        }
                        else
                        {
                            poison ??= PoisonCheck(record, death, deaths);
                        }
                    }

                    return attempt;
                },
                stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while waiting to restart: Finish names the reason (cancel, deadline, shutdown).
            return Attempt.Failed(new Failure { Reason = ErrorReason.Cancelled, Message = "the session was stopped while its worker was being restarted" });
        }

        if (last.Death is not { } death)
        {
            return last;
        }

        if (poison is not null)
        {
            quarantine.Add(poison);
            return Attempt.Failed(new Failure
            {
                Reason = ErrorReason.PoisonInput,
                Message = $"the input killed {poison.Deaths} workers the same way ({poison.Death} at {poison.Position}): it is quarantined and refused until an operator clears fingerprint {poison.Fingerprint}; last death: {death.Failure.Message}",
            });
        }

        var why = !death.Restartable ? ""
            : restarts >= _options.MaxRestartsPerSession ? $" (not restarted: the session's {_options.MaxRestartsPerSession} restarts are used up)"
            : intensity.IsExhausted ? $" (not restarted: the supervisor made {intensity.Limit} restarts within {intensity.Window.TotalSeconds:0} s)"
            : "";
        return Attempt.Failed(new Failure { Reason = death.Failure.Reason, Message = death.Failure.Message + why });
    }

    /// <summary>
    /// Counts a crash by its signature — class and place in the input (the durable time it died
    /// after) — and returns the quarantine entry once one repeats <c>PoisonThreshold</c> times.
    /// Only what the input can cause counts: native crashes, aborts and hangs, and of those only the
    /// ones with no excuse (a hang on a CPU-starved host, a fault the chaos API injected). OOM kills
    /// are a matter of limits (the memory governor's), and a lost connection may come from outside.
    /// </summary>
    private QuarantineEntry? PoisonCheck(SessionRecord record, WorkerDeath death, Dictionary<(DeathClass, TimeSpan), int> deaths)
    {
        var position = record.Snapshot().Progress?.Checkpoints?.DurableTime?.ToTimeSpan() ?? TimeSpan.Zero;
        var count = deaths[(death.Class, position)] = deaths.GetValueOrDefault((death.Class, position)) + 1;
        if (count < _options.PoisonThreshold)
        {
            return null;
        }

        var fingerprint = Worker.Engine.InputFingerprint.Of(record.Request.InputPath).SampleSha256;
        return new QuarantineEntry(fingerprint, record.Request.InputPath, death.Name, position, count, record.Id, time.GetUtcNow());
    }

    /// <summary>Takes a warm worker (or starts one) for the session, drives it to the end and stops it.</summary>
    private async Task<Attempt> RunWorkerAsync(SessionRecord record, OutputStaging staging, CancellationToken stop)
    {
        var staged = staging.Redirect(record.Request);
        staged.Adjustment = record.Adjustment;
        var choice = hardware.Choose(record.Spec, record.Request, record.SoftwareOnly);
        using var encoderSession = choice.Device is { } device ? hardware.Sessions.TryLease(device) : null;
        switch (choice.Verdict)
        {
            case HardwareVerdict.Refuse:
                return Attempt.Failed(new Failure { Reason = ErrorReason.HardwareUnavailable, Message = $"hardware REQUIRED, but {choice.Reason}" });
            case HardwareVerdict.Wait:
            case HardwareVerdict.Hardware when encoderSession is null && record.Spec.Hardware == HardwarePreference.HardwareRequired:
                return Attempt.Postpone($"hardware REQUIRED, but {choice.Reason ?? "its device's encoder sessions were all leased meanwhile"}");
            case HardwareVerdict.Hardware when encoderSession is null:
                record.RecordSoftwareEncoding($"hardware PREFERRED, but the encoder sessions of {choice.Device!.Path} were all leased meanwhile");
                choice = HardwareChoice.Off;
                break;
            case HardwareVerdict.Software when choice.Reason is { } why && !record.SoftwareOnly:
                record.RecordSoftwareEncoding($"hardware PREFERRED, but {why}");
                break;
        }

        // A session on a GPU runs in the profile that exposes exactly that device.
        var profile = profiles.Find(choice.Device?.Profile ?? record.Spec.Profile)!;
        staged.HardwareEncoder = choice.Encoder ?? "";
        if (admission.Reweigh(record, profile) is { Verdict: AdmissionVerdict.Wait } stillWaiting)
        {
            return Attempt.Postpone($"admission control: {stillWaiting.Reason}");
        }

        staged.LockdownFilter = Google.Protobuf.ByteString.CopyFrom(seccomp.LockdownFor(profile.Name!).Span);
        WorkerHandle worker;
        TranscodeRequest request;
        try
        {
            worker = pool.TryTake(profile.Name!) ?? await launcher.StartAsync(record.Id, profile, staged, stop);
        }
        catch (Exception e) when (e is WorkerStartException or OperationCanceledException or IOException or InvalidOperationException)
        {
            return Attempt.Failed(new Failure { Reason = ErrorReason.WorkerStartFailed, Message = $"the worker could not be started: {e.Message}" });
        }

        await using (worker)
        {
            try
            {
                request = worker.Assign(record.Id, staged, staging.Directory);
            }
            catch (IOException e)
            {
                return Attempt.Failed(new Failure { Reason = ErrorReason.WorkerStartFailed, Message = $"the session's files could not be handed to warm worker {worker.Id}: {e.Message}" });
            }

            using var audit = SeccompAudit.Start(WorkerProcessTree.Snapshot(worker.Pid, worker.Cgroup));
            record.AttachWorker(worker.Pid, worker.Client);

            // From here until it ends, a worker that stops getting work done is killed as hung: the
            // probe and the resume seek count as much as the transcode itself.
            using var watchdog = Watch(record, worker);
            using var span = Telemetry.SupervisorTrace.Source.StartActivity("sandbox.attempt");
            span?.SetTag("attempt", record.Snapshot().Attempts);
            span?.SetTag("worker.id", worker.Id);
            span?.SetTag("worker.pid", worker.Pid);
            try
            {
                if (await AdmitAsync(record, worker, request, profile, stop) is { } notNow)
                {
                    return notNow;
                }

                // The probe's answer is progress: the transcode's own first event gets a whole timeout.
                watchdog.Progressed();

                // Busy from here: the memory governor samples and watches it, under the limits admission gave it.
                registry.Set(worker, WorkerState.WorkerBusy);

                request.Adjustment = record.Adjustment;
                var attempts = record.Snapshot().Attempts;
                var gpu = choice.Device is { } used ? $", encoding with {choice.Encoder} on {used.Path}" : "";
                span?.SetTag("hardware.encoder", choice.Encoder);
                record.RecordRunning(attempts > 1
                    ? $"worker {worker.Id} (pid {worker.Pid}) took over (attempt {attempts}){gpu}"
                    : $"worker {worker.Id} (pid {worker.Pid}){gpu}");
                RecordLatency(record, attempts);

                // The profile's wall-clock limit bounds the worker's life, whatever the session's own deadline.
                var wallClock = profile.Limits?.WallClock ?? Timeout.InfiniteTimeSpan;
                using var overtime = new CancellationTokenSource(wallClock, time);
                using var stopOrOvertime = CancellationTokenSource.CreateLinkedTokenSource(stop, overtime.Token);
                var outcome = await DriveAsync(record, request, staging, worker, audit, watchdog, stopOrOvertime.Token);
                span?.SetTag("attempt.outcome", outcome.Death?.Name ?? outcome.Failure?.Reason.ToString() ?? "completed");
                if (outcome.Death is not null)
                {
                    span?.SetStatus(ActivityStatusCode.Error, outcome.Death.Failure.Message);
                }

                return overtime.IsCancellationRequested && !stop.IsCancellationRequested
                    ? Attempt.Failed(new Failure { Reason = ErrorReason.DeadlineExceeded, Message = $"the worker ran past its profile's wall-clock limit of {wallClock} ({profile.Name})" })
                    : outcome;
            }
            finally
            {
                record.DetachWorker();
                registry.Set(worker, WorkerState.WorkerStopping);
                await worker.StopAsync(_options.StopGracePeriod);
                registry.Remove(worker);
                record.KeepWorkerStderr(worker.StandardErrorTail);
            }
        }
    }

    /// <summary>Submit → running for a session's first worker; crash → running for one that took over after a death.</summary>
    private void RecordLatency(SessionRecord record, int attempts)
    {
        var now = time.GetUtcNow();
        if (attempts <= 1)
        {
            metrics.RecordSubmitToRunning(now - record.CreatedAt);
        }
        else if (record.LastRestartAt is { } died)
        {
            metrics.RecordCrashToRunning(now - died);
        }
    }

    /// <summary>
    /// Weighs the session against the memory budget in its worker: null to go on (on the rung
    /// admission chose, recorded as a Downgraded event when below the spec), or why not.
    /// </summary>
    private async Task<Attempt?> AdmitAsync(SessionRecord record, WorkerHandle worker, TranscodeRequest request, Isolation.Profiles.SandboxProfile profile, CancellationToken stop)
    {
        var decision = await admission.WeighAsync(record, worker, request, profile, stop);
        switch (decision.Verdict)
        {
            case AdmissionVerdict.Wait:
                metrics.RecordAdmissionRefusal("wait");
                return Attempt.Postpone($"admission control: {decision.Reason}");
            case AdmissionVerdict.Refuse:
                metrics.RecordAdmissionRefusal("refuse");
                return Attempt.Failed(new Failure { Reason = ErrorReason.CapacityExhausted, Message = $"admission control refused the session: {decision.Reason}; it cannot run on this node (a node with more memory, or a smaller output, would do)" });
        }

        if (decision.Rung > MemoryGovernor.RungOf(record) && decision.Adjustment is { } adjustment)
        {
            record.RecordAdjustment(
                adjustment, reset: true, inForce: Worker.Rpc.TranscodeRequestMapper.ToEngine(adjustment).Describe(), detail: "from the first chunk",
                reason: $"admission control started it on the {MemoryGovernor.Name(decision.Rung)} rung: {decision.Reason}");
        }

        return null;
    }

    /// <summary>Streams the worker's events to the end: the transcode completed, failed with a reason, or the worker died.</summary>
    private async Task<Attempt> DriveAsync(SessionRecord record, TranscodeRequest request, OutputStaging staging, WorkerHandle worker, SeccompAudit audit, ProgressWatchdog watchdog, CancellationToken stop)
    {
        request = request.Clone();
        if (RemainingTime(record) is { } remaining)
        {
            request.Deadline = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(remaining);
        }

        using var call = worker.Client.Transcode(request, cancellationToken: CancellationToken.None);
        using var stopping = stop.Register(() => _ = AskToStopAsync(worker));
        try
        {
            // The stream is read to its end even after a stop request: the worker reports CANCELLED itself.
            await foreach (var item in call.ResponseStream.ReadAllAsync(CancellationToken.None))
            {
                watchdog.Progressed();
                switch (item.EventCase)
                {
                    case TranscodeEvent.EventOneofCase.Progress:
                        record.ReportProgress(item.Progress);
                        break;
                    case TranscodeEvent.EventOneofCase.Spans:
                        Telemetry.SupervisorTrace.Replay(item.Spans.Spans, worker.Pid);
                        break;
                    case TranscodeEvent.EventOneofCase.Completed:
                        record.ReportProgress(item.Completed.Progress);
                        var download = record.Spec.Output?.TargetCase == OutputTarget.TargetOneofCase.Download;
                        var output = staging.Publish(worker.ToHost(item.Completed.OutputPath), item.Completed.Segments.Select(worker.ToHost));
                        if (request.Checkpoints is { Keep: true } checkpoints)
                        {
                            staging.PublishCheckpoints(worker.ToHost(checkpoints.Directory));
                        }

                        record.RecordOutput(download ? null : output, download, item.Completed.Streams);
                        return Attempt.Completed;
                    case TranscodeEvent.EventOneofCase.Failed when item.Failed.Failure.Reason == ErrorReason.Cancelled && !stop.IsCancellationRequested:
                        // Nobody asked it to stop: it cancelled because it lost its supervisor's pipe or
                        // was being killed. That is a death, classified as such (and restartable).
                        return new Attempt(null, await ClassifyDeathAsync(worker, audit, "the worker stopped without being asked to", watchdog, stop));
                    case TranscodeEvent.EventOneofCase.Failed:
                        return Attempt.Failed(item.Failed.Failure);
                }
            }

            return new Attempt(null, await ClassifyDeathAsync(worker, audit, "the worker closed its stream without a result", watchdog, stop));
        }
        catch (RpcException e)
        {
            return new Attempt(null, await ClassifyDeathAsync(worker, audit, $"the connection to the worker failed ({e.StatusCode}: {e.Status.Detail})", watchdog, stop));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Attempt.Failed(new Failure { Reason = ErrorReason.OutputFailed, Message = $"the finished output could not be moved into place: {e.Message}" });
        }
    }

    /// <summary>Asks the worker to cancel over gRPC; if it does not exit within the grace period it is killed.</summary>
    private async Task AskToStopAsync(WorkerHandle worker)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.StopGracePeriod);
            await worker.Client.CancelAsync(new CancelRequest(), cancellationToken: timeout.Token);
        }
        catch (RpcException e)
        {
            logger.LogWarning("worker {Worker} did not take the cancel request ({Status}); it will be killed", worker.Id, e.StatusCode);
        }
        catch (ObjectDisposedException)
        {
            // The session ended (and its worker was disposed) while the request was under way.
            return;
        }

        await worker.StopAsync(_options.StopGracePeriod);
    }

    /// <summary>
    /// Starts the hang watch over a worker that has its session: a starved worker is told about in
    /// the session's events and the log; a hung one is killed.
    /// </summary>
    private ProgressWatchdog Watch(SessionRecord record, WorkerHandle worker)
    {
        var rule = new HangRuleOptions(_options.HangTimeout);
        return new ProgressWatchdog(
            rule,
            worker.Cgroup.ReadCpu,
            time,
            onStarved: verdict =>
            {
                logger.LogWarning("worker {Worker} of session {Session} is starved of CPU, not hung ({Verdict}): it gets up to {Limit} without progress", worker.Id, record.Id, verdict.Describe(), rule.StarvedDeadline);
                record.RecordResourceWarning("cpu", $"the worker is starved of CPU by a busy host ({verdict.Describe()}); it gets up to {rule.StarvedDeadline.TotalSeconds:0.#} s without progress before it counts as hung");
            },
            onHung: verdict =>
            {
                logger.LogWarning("worker {Worker} of session {Session} is hung ({Verdict}): killing it", worker.Id, record.Id, verdict.Describe());
                worker.Kill();
            });
    }

    /// <summary>Tells how the worker died: its exit status, its seccomp audit record, its cgroup's OOM kills, the hang watch.</summary>
    private async Task<WorkerDeath> ClassifyDeathAsync(WorkerHandle worker, SeccompAudit audit, string what, ProgressWatchdog watchdog, CancellationToken stop)
    {
        // The verdict as the stream ended: a worker that lingers, idle, while it is stopped below
        // (one whose connection dropped, say) is not hung.
        var hung = watchdog.Stop();
        var starved = watchdog.WasStarved;
        await worker.StopAsync(_options.StopGracePeriod);
        var injected = worker.InjectedFault is { } fault ? $"the chaos API injected {fault}" : null;
        if (hung is not null)
        {
            starved |= hung.Contended;
            return new WorkerDeath(
                DeathClass.Hang,
                new Failure { Reason = ErrorReason.WorkerCrashed, Message = $"the worker was killed as hung: {hung.Describe()}" },
                injected ?? (starved ? "it hung while the host was short of CPU" : null));
        }

        var exit = worker.ExitCode is { } code ? ExitDescription(code) : "was killed";
        logger.LogWarning("worker {Worker} of session {Session} died: {What}; it {Exit}. stderr: {Stderr}", worker.Id, worker.SessionId, what, exit, worker.StandardErrorTail);
        if (worker.ExitCode == SeccompAudit.KilledExitCode)
        {
            var syscall = await audit.FindKilledSyscallAsync(SeccompAudit.RecordWait);
            return new WorkerDeath(DeathClass.Seccomp, new Failure
            {
                Reason = ErrorReason.SeccompViolation,
                Message = syscall is null
                    ? "the worker was killed by its seccomp filter (SIGSYS) for a forbidden syscall; which one is unknown (no kernel audit record)"
                    : $"the worker was killed by its seccomp filter (SIGSYS) for calling {syscall}, which its profile forbids",
            });
        }

        var usage = worker.Cgroup.ReadUsage();
        if (usage.OomKills > 0)
        {
            return new WorkerDeath(
                DeathClass.OomKill,
                new Failure { Reason = ErrorReason.OomKilled, Message = $"the worker was killed for exceeding its memory limit of {usage.MemoryMax} bytes ({worker.Cgroup.Path})" });
        }

        // A worker the supervisor itself stopped (cancel, deadline, shutdown) is not a crash.
        var signal = worker.ExitCode is > 128 and < 160 ? worker.ExitCode - 128 : null;
        var death = stop.IsCancellationRequested ? DeathClass.Failed
            : signal is 4 or 7 or 8 or 11 ? DeathClass.NativeCrash
            : signal is 6 ? DeathClass.Abort
            : DeathClass.LostConnection;
        return new WorkerDeath(death, new Failure { Reason = ErrorReason.WorkerCrashed, Message = $"{what}; the worker {exit}" }, injected);
    }

    /// <summary>Ends the session; a stop request turns the outcome into CANCELLED or DEADLINE_EXCEEDED.</summary>
    private void Finish(SessionRecord record, Failure? failure, CancellationToken stop)
    {
        if (failure is null)
        {
            record.TryTransition(SessionState.Completed);
            return;
        }

        if (stop.IsCancellationRequested || failure.Reason == ErrorReason.Cancelled)
        {
            var pastDeadline = RemainingTime(record) is { } left && left <= TimeSpan.Zero && !record.Cancellation.IsCancellationRequested;
            if (pastDeadline || failure.Reason == ErrorReason.DeadlineExceeded)
            {
                record.TryTransition(SessionState.Failed, new Failure { Reason = ErrorReason.DeadlineExceeded, Message = "the session did not finish before its deadline" });
            }
            else
            {
                record.TryTransition(SessionState.Cancelled, new Failure { Reason = ErrorReason.Cancelled, Message = "the session was cancelled" });
            }

            return;
        }

        record.TryTransition(SessionState.Failed, failure);
    }

    private TimeSpan? RemainingTime(SessionRecord record) =>
        record.Spec.Deadline is { } deadline ? deadline.ToTimeSpan() - (time.GetUtcNow() - record.CreatedAt) : null;

    /// <summary>.NET reports a signal death as 128 + the signal number.</summary>
    private static string ExitDescription(int code) => code switch
    {
        > 128 and < 160 => $"died of signal {code - 128}{SignalName(code - 128)}",
        _ => $"exited with code {code}",
    };

    private static string SignalName(int signal) => signal switch
    {
        4 => " (SIGILL)",
        6 => " (SIGABRT)",
        7 => " (SIGBUS)",
        8 => " (SIGFPE)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        31 => " (SIGSYS)",
        _ => "",
    };
}
