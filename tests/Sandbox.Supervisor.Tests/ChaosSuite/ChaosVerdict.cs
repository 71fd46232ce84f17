using System.Globalization;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.ChaosSuite;

/// <summary>Judges a chaos run: each session's end against what was done to it, and every completed output with ffprobe/ffmpeg.</summary>
public static class ChaosVerdict
{
    /// <summary>The problems found, one line each; empty when the run is right.</summary>
    /// <param name="faultsMustRestart">
    /// Whether nearly every injected fault must show as a restart: not across a supervisor restart,
    /// where a worker that was struck (or frozen) just before is killed with its supervisor and the
    /// session resumes without a restart event.
    /// </param>
    public static async Task<List<string>> CheckAsync(IReadOnlyList<ChaosOutcome> outcomes, TimeSpan inputDuration, bool faultsMustRestart = true)
    {
        var problems = new List<string>();
        foreach (var outcome in outcomes)
        {
            if (Expectation(outcome) is { } wrong)
            {
                problems.Add($"s{outcome.Plan.Index} {outcome.SessionId} ({Describe(outcome.Plan)}, delivered {outcome.Delivered}): {wrong}; events: {outcome.Trace}");
            }
        }

        await Parallel.ForEachAsync(outcomes.Where(o => o.State == SessionState.Completed), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (outcome, _) =>
        {
            var errors = await PacketTimeline.DecodeErrorsAsync(outcome.Output);
            var duration = (await FfprobeReport.ProbeAsync(outcome.Output)).Duration ?? 0;
            if (errors.Length > 0 || Math.Abs(duration - inputDuration.TotalSeconds) > 0.25)
            {
                lock (problems)
                {
                    problems.Add($"s{outcome.Plan.Index} {outcome.SessionId}: output {outcome.Output} lasts {duration.ToString("0.000", CultureInfo.InvariantCulture)} s (input {inputDuration.TotalSeconds} s); decode errors: {errors}");
                }
            }
        });

        // Faults must really strike: most delivered faults end in exactly one restart of their class.
        var faults = outcomes.Where(o => o.Plan.Mischief == Mischief.Fault && o.Delivered).ToList();
        var restartedOnce = faults.Count(o => o.Deaths.Count == 1);
        if (faultsMustRestart && faults.Count > 0 && restartedOnce < faults.Count * 0.9)
        {
            problems.Add($"only {restartedOnce} of {faults.Count} injected faults led to a restart");
        }

        return problems;
    }

    public static string Describe(PlannedSession plan) => plan.Mischief switch
    {
        Mischief.Fault => $"fault {ChaosSummary.Name(plan.Fault)} at {plan.At.TotalSeconds:0} s",
        Mischief.ForbiddenSyscall => $"forbidden syscall at {plan.At.TotalSeconds:0} s",
        _ => plan.Mischief.ToString().ToLowerInvariant(),
    };

    /// <summary>What is wrong with the session's end, or null.</summary>
    private static string? Expectation(ChaosOutcome o)
    {
        if (o.TerminalEvents != 1)
        {
            return $"{o.TerminalEvents} terminal state events (exactly one expected)";
        }

        var (state, reason, deaths) = (o.State, o.Reason, o.Deaths);
        return o.Plan.Mischief switch
        {
            _ when !o.Delivered && o.Plan.Mischief != Mischief.None =>
                state == SessionState.Completed && deaths.Count == 0 ? null : $"ended {state} {reason} with deaths [{string.Join(", ", deaths)}]; the mischief never struck, so it should have completed untouched",
            Mischief.None => state == SessionState.Completed && deaths.Count == 0 ? null : $"ended {state} {reason} with deaths [{string.Join(", ", deaths)}]; expected COMPLETED without restarts",
            Mischief.Fault => state == SessionState.Completed && deaths.Count <= 1 && deaths.All(d => d == ChaosPlan.DeathOf(o.Plan.Fault))
                ? null
                : $"ended {state} {reason} with deaths [{string.Join(", ", deaths)}]; expected COMPLETED after at most one {ChaosPlan.DeathOf(o.Plan.Fault)}",
            Mischief.ForbiddenSyscall => state == SessionState.Failed && reason == ErrorReason.SeccompViolation && deaths.Count == 0
                ? null
                : $"ended {state} {reason} with deaths [{string.Join(", ", deaths)}]; expected FAILED SECCOMP_VIOLATION without a restart",
            Mischief.Cancel => state is SessionState.Cancelled or SessionState.Completed && deaths.Count == 0 ? null : $"ended {state} {reason}; expected CANCELLED",
            Mischief.Poison => state == SessionState.Failed && reason == ErrorReason.PoisonInput ? null : $"ended {state} {reason} with deaths [{string.Join(", ", deaths)}]; expected FAILED POISON_INPUT",
            _ => "unknown mischief",
        };
    }
}
