using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Sessions;
using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Memory;

/// <summary>
/// Weighs a session against the memory budget before its worker transcodes anything: the worker
/// probes the input (only a sandboxed worker ever opens it), the session's memory is estimated on
/// each rung of its ladder (<see cref="MemoryEstimate"/>), and <see cref="AdmissionPolicy"/> starts
/// it, lets it wait, or refuses it. An admitted session reserves its estimate until its worker is
/// gone, and its worker's cgroup gets memory.high/memory.max from the estimate.
/// </summary>
internal sealed class AdmissionControl(MemoryBudget budget, WorkerRegistry workers, IOptions<SupervisorOptions> options, TimeProvider time, ILogger<AdmissionControl> logger)
{
    private const double MiB = 1 << 20;

    private readonly MemoryOptions _options = options.Value.Memory;
    private readonly ConcurrentDictionary<string, long> _reservations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProbeResult> _probes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Rung> _admittedOn = new(StringComparer.Ordinal);

    public bool Enabled => _options.Admission.Enabled;

    public TimeSpan RetryInterval => _options.Admission.RetryInterval;

    /// <summary>
    /// Without a worker: whether a session probed before (and told to wait) still has to. Null
    /// when it has not been probed yet, so its next worker must probe it.
    /// </summary>
    public AdmissionDecision? Reweigh(SessionRecord record, SandboxProfile profile) =>
        Enabled && _probes.TryGetValue(record.Id, out var probe) ? Decide(record, probe, profile) : null;

    /// <summary>Probes the input in the session's (sandboxed, locked-down) worker and decides; admitted, the worker's limits follow the estimate.</summary>
    public async Task<AdmissionDecision> WeighAsync(SessionRecord record, WorkerHandle worker, TranscodeRequest request, SandboxProfile profile, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return AdmissionDecision.Unweighed;
        }

        using var span = Telemetry.SupervisorTrace.Source.StartActivity("sandbox.admission");
        ProbeResult probe;
        try
        {
            // No deadline of its own: the session's hang watch kills a worker that stops getting work done, which ends the call.
            probe = await worker.Client.ProbeAsync(request, cancellationToken: cancellationToken);
            Telemetry.SupervisorTrace.Replay(probe.Spans, worker.Pid);
        }
        catch (RpcException e)
        {
            // A worker that died probing dies again transcoding: that path classifies the death.
            logger.LogWarning("session {Session}: the input could not be probed ({Status}: {Detail}); it starts unweighed", record.Id, e.StatusCode, e.Status.Detail);
            return AdmissionDecision.Unweighed;
        }

        if (probe.Failure is not null)
        {
            return AdmissionDecision.Unweighed; // the transcode fails the same way, with the worker's reason
        }

        _probes[record.Id] = probe;
        var decision = Decide(record, probe, profile);
        span?.SetTag("admission.verdict", decision.Verdict.ToString().ToLowerInvariant());
        span?.SetTag("admission.rung", MemoryGovernor.Name(decision.Rung));
        span?.SetTag("admission.estimate_bytes", decision.Estimate);
        if (decision.Verdict == AdmissionVerdict.Admit)
        {
            _reservations[record.Id] = decision.Estimate;
            _admittedOn[record.Id] = decision.Rung;
            var (high, max) = MemoryEstimate.Limits(decision.Estimate, Bytes(profile.Limits?.MemoryMax), Bytes(profile.Limits?.MemoryHigh), _options.Estimate);
            worker.Cgroup.SetMemoryLimits(high, max);
            decision = decision with { Reason = $"{decision.Reason}; worker limits memory.high {high / MiB:0} MiB, memory.max {max / MiB:0} MiB" };
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("session {Session}: admission {Verdict} on rung {Rung}: {Reason}", record.Id, decision.Verdict, MemoryGovernor.Name(decision.Rung), decision.Reason);
        }

        return decision;
    }

    /// <summary>The session's worker is gone: its reservation goes with it.</summary>
    public void Release(string sessionId) => _reservations.TryRemove(sessionId, out _);

    /// <summary>The session has ended: nothing of it is kept.</summary>
    public void Forget(string sessionId)
    {
        Release(sessionId);
        _probes.TryRemove(sessionId, out _);
        _admittedOn.TryRemove(sessionId, out _);
    }

    /// <summary>The rung the session's current worker was admitted on (the governor recovers no higher); Full when it was not weighed.</summary>
    public Rung AdmittedOn(string sessionId) => _admittedOn.GetValueOrDefault(sessionId, Rung.Full);

    /// <summary>Bytes reserved by admitted sessions now (for GetStatus).</summary>
    public long Reserved => _reservations.Values.Sum();

    /// <summary>Why no session can be taken at all now (the workers hold or reserve the whole budget), or null.</summary>
    public string? Overcommitted()
    {
        if (!Enabled)
        {
            return null;
        }

        var (free, _) = Free(null);
        return free > 0 ? null
            : $"the workers hold or have reserved {(budget.Bytes - free) / MiB:0} MiB of the {budget.Bytes / MiB:0} MiB memory budget";
    }

    private AdmissionDecision Decide(SessionRecord record, ProbeResult probe, SandboxProfile profile)
    {
        var codec = MemoryGovernor.CodecOf(record);
        var output = probe.Output;
        var ladder = output is null ? null : new DowngradeLadder(
            _options.Ladder, new SourceFormat(output.Width, output.Height, MemoryGovernor.Rate(output.FrameRate)), record.Spec.Floors, time.GetUtcNow(), codec: codec);

        // A resumed session starts no higher than it stood; only a chunked one can start lower (the worker applies it from its first chunk).
        var from = MemoryGovernor.RungOf(record);
        var lowest = ladder is null || record.Request.Checkpoints is null ? from : Rung.Encoder;
        var candidates = Enumerable.Range((int)from, lowest - from + 1)
            .Select(r => (Rung)r)
            .Select(rung => (rung, Adjustment: rung == from ? record.Adjustment : ladder!.AdjustmentFor(rung)))
            .Select(c => (c.rung, c.Adjustment, MemoryEstimate.Bytes(probe, codec, c.Adjustment, _options.Estimate)))
            .ToList();
        var (free, othersBusy) = Free(record.Id);
        return AdmissionPolicy.Decide(candidates, free, budget.Bytes, Bytes(profile.Limits?.MemoryMax), othersBusy);
    }

    /// <summary>The budget left for this session: every other worker holds what it holds, or what it reserved if that is more.</summary>
    private (long Free, bool OthersBusy) Free(string? sessionId)
    {
        var now = time.GetUtcNow();
        long held = 0;
        var othersBusy = false;
        foreach (var worker in workers.All())
        {
            if (worker.SessionId == sessionId)
            {
                continue; // its own worker: what the estimate is about
            }

            var current = worker.Cgroup.ReadMemory(now).Current;
            var reserved = _reservations.GetValueOrDefault(worker.SessionId);
            othersBusy |= worker.SessionId.Length > 0;
            held += Math.Max(current, reserved);
        }

        return (budget.Bytes - held, othersBusy);
    }

    private static long Bytes(string? size) => ByteSize.TryParse(size ?? "", out var bytes) ? bytes : 0;
}
