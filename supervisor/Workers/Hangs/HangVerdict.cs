namespace Sandbox.Supervisor.Workers.Hangs;

/// <summary>What the hang rule makes of a worker at one moment.</summary>
public enum HangState
{
    /// <summary>It made progress within the timeout.</summary>
    Progressing,

    /// <summary>Silent past the timeout, but runnable and starved of CPU by a busy host: it gets more time.</summary>
    Starved,

    /// <summary>Stuck: it is to be killed as hung.</summary>
    Hung,
}

/// <summary>The hang rule's answer, with what it saw over the last timeout's window.</summary>
/// <param name="State">The verdict.</param>
/// <param name="Silence">How long the worker has gone without progress.</param>
/// <param name="CpuShare">The CPU it consumed over the window, in CPUs (0.5: half of one CPU).</param>
/// <param name="StallShare">The share of the window in which runnable work waited for a CPU (PSI), or the load per CPU without PSI.</param>
/// <param name="Contended">Whether the host (or the worker's cgroup) was short of CPU over the window.</param>
public sealed record HangVerdict(HangState State, TimeSpan Silence, double CpuShare, double StallShare, bool Contended)
{
    public static HangVerdict Progressing(TimeSpan silence) => new(HangState.Progressing, silence, 0, 0, false);

    /// <summary>The verdict in words, for logs, events and the death's message.</summary>
    public string Describe() =>
        $"no progress for {Silence.TotalSeconds:0.#} s; over the last window it used {CpuShare:0.###} CPUs"
        + (Contended ? $" while the host was short of CPU (stall {StallShare:0.##})" : $" on a host with CPU to spare (stall {StallShare:0.##})");
}
