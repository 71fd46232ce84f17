using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sandbox.Supervisor.Memory;

namespace Sandbox.Supervisor.Telemetry;

/// <summary>
/// The supervisor's event-driven instruments (meter <c>Sandbox.Supervisor</c>): how long sessions wait
/// for a worker, the memory ladder's steps and admission's refusals. What can be read at any time
/// (sessions by state, workers, deaths, memory) is observed by <see cref="SupervisorGauges"/> instead.
/// </summary>
internal sealed class SupervisorMetrics
{
    public const string MeterName = "Sandbox.Supervisor";

    /// <summary>Seconds: from a few milliseconds (a warm worker) to the restart backoff's 30 s cap and beyond.</summary>
    private static readonly IReadOnlyList<double> LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly Histogram<double> _submitToRunning;
    private readonly Histogram<double> _crashToRunning;
    private readonly Counter<long> _ladderSteps;
    private readonly Counter<long> _admissionRefusals;

    public SupervisorMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _submitToRunning = meter.CreateHistogram(
            "sandbox.session.submit_to_running", "s", "From Submit to the session's first worker running it",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _crashToRunning = meter.CreateHistogram(
            "sandbox.session.crash_to_running", "s", "From a worker's death being classified to a fresh worker running its session (backoff included)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _ladderSteps = meter.CreateCounter<long>("sandbox.memory.ladder_steps", description: "Memory governor steps, by the rung left and the rung taken");
        _admissionRefusals = meter.CreateCounter<long>(
            "sandbox.admission.refusals", description: "Sessions admission control held back: wait (queued until memory frees), refuse (can never fit), submit (Submit refused while the budget is full)");

        // Every series starts at 0, so dashboards and rate() see a step as a change, not a new series.
        foreach (var rung in Enum.GetValues<Rung>().Where(r => r < Rung.Evicted))
        {
            _ladderSteps.Add(0, Tags(MemoryGovernor.Name(rung), MemoryGovernor.Name(rung + 1)));
            if (rung > Rung.Full)
            {
                _ladderSteps.Add(0, Tags(MemoryGovernor.Name(rung), MemoryGovernor.Name(rung - 1)));
            }
        }

        foreach (var verdict in (string[])["wait", "refuse", "submit"])
        {
            _admissionRefusals.Add(0, new KeyValuePair<string, object?>("verdict", verdict));
        }
    }

    public void RecordSubmitToRunning(TimeSpan latency) => _submitToRunning.Record(latency.TotalSeconds);

    public void RecordCrashToRunning(TimeSpan latency) => _crashToRunning.Record(latency.TotalSeconds);

    public void RecordLadderStep(string from, string to) => _ladderSteps.Add(1, Tags(from, to));

    private static TagList Tags(string from, string to) => new() { { "from", from }, { "to", to } };

    /// <summary><paramref name="verdict"/>: <c>wait</c>, <c>refuse</c> or <c>submit</c>.</summary>
    public void RecordAdmissionRefusal(string verdict) => _admissionRefusals.Add(1, new KeyValuePair<string, object?>("verdict", verdict));
}
