namespace Sandbox.Supervisor.Memory;

/// <summary>
/// Seed §4.3: T = α·(P × R) + β·(B × log₂N) + γ·Δt, in MiB, where
/// <list type="bullet">
/// <item>P = active workers (running a session);</item>
/// <item>R = their mean peak charged memory, MiB (cgroup peak);</item>
/// <item>B = the I/O buffer block size, KiB (<see cref="DynamicThresholdOptions.BufferBlockKiB"/>); as in the seed, β carries the unit, so β·B·log₂N is read as MiB;</item>
/// <item>N = concurrent I/O requests (each active worker reads one input and writes one output: 2P), log₂ as ⌊log₂N⌋ (the seed's bit length − 1);</item>
/// <item>Δt = seconds since the last reclaim (a downgrade, an eviction or an OOM kill), up to <see cref="DynamicThresholdOptions.MaxSinceReclaim"/>: allocations drift up between reclaims.</item>
/// </list>
/// The seed compares T with the resident total ("T &lt; RSS → act"); taken literally that fires
/// whenever workers run above 62% of their peak, which is all the time. Sandbox reads T as what the
/// term values say it is — the memory the running workload may still claim: 62% of one more round
/// of its peaks, its I/O buffers and a drift term — and keeps that much <em>headroom</em> under
/// the supervisor-wide budget: the governor acts when budget − charged &lt; T.
/// </summary>
public static class DynamicThreshold
{
    /// <summary>T in MiB.</summary>
    public static double MiB(int activeWorkers, double meanPeakMiB, int concurrentIo, TimeSpan sinceReclaim, DynamicThresholdOptions options)
    {
        var log2 = concurrentIo >= 1 ? Math.Floor(Math.Log2(concurrentIo)) : 0;
        return (options.Alpha * activeWorkers * meanPeakMiB)
            + (options.Beta * options.BufferBlockKiB * log2)
            + (options.Gamma * Math.Clamp(sinceReclaim.TotalSeconds, 0, options.MaxSinceReclaim.TotalSeconds));
    }
}
