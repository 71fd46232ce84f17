namespace Sandbox.Supervisor.Memory;

/// <summary>
/// The admission rule, pure: a session starts on the first rung (spec first, then down the ladder)
/// whose estimate fits both the memory free under the budget and its profile's limit. If none fits
/// what is free now but its cheapest rung fits the budget, it waits for running sessions to end; if
/// its cheapest rung exceeds the whole budget, no amount of waiting helps and it is refused.
/// </summary>
public static class AdmissionPolicy
{
    private const double MiB = 1 << 20;

    /// <param name="candidates">The rungs the session could start on, spec first, each with its adjustment and estimate.</param>
    /// <param name="free">Bytes of the budget not held or reserved by other workers.</param>
    /// <param name="budget">The whole budget in bytes.</param>
    /// <param name="profileMax">The profile's memory.max in bytes (0: none).</param>
    /// <param name="othersBusy">Whether other sessions hold memory that ending will free.</param>
    public static AdmissionDecision Decide(IReadOnlyList<(Rung Rung, Sandbox.Api.V1.Adjustment? Adjustment, long Estimate)> candidates, long free, long budget, long profileMax, bool othersBusy)
    {
        var full = candidates[0];
        var cheapest = candidates.MinBy(c => c.Estimate);
        var room = profileMax > 0 ? Math.Min(free, profileMax) : free;
        foreach (var (rung, adjustment, estimate) in candidates)
        {
            if (estimate <= room)
            {
                var why = rung == Rung.Full
                    ? $"estimated {estimate / MiB:0} MiB, {free / MiB:0} MiB free of the {budget / MiB:0} MiB budget"
                    : $"estimated {full.Estimate / MiB:0} MiB at the spec's settings, more than the {room / MiB:0} MiB {(room < free ? "its profile allows" : "free of the budget")}; {estimate / MiB:0} MiB on this rung";
                return new AdmissionDecision(AdmissionVerdict.Admit, rung, adjustment, estimate, why);
            }
        }

        if (cheapest.Estimate > budget)
        {
            return new AdmissionDecision(
                AdmissionVerdict.Refuse, cheapest.Rung, cheapest.Adjustment, cheapest.Estimate,
                $"estimated {cheapest.Estimate / MiB:0} MiB even on the ladder's cheapest rung, more than the whole {budget / MiB:0} MiB memory budget");
        }

        if (cheapest.Estimate <= free || !othersBusy)
        {
            // Over the profile's limit only (or nothing else runs to wait for): start as cheap as it gets; the governor watches it.
            return new AdmissionDecision(
                AdmissionVerdict.Admit, cheapest.Rung, cheapest.Adjustment, cheapest.Estimate,
                $"estimated {cheapest.Estimate / MiB:0} MiB even on the cheapest rung, over the {room / MiB:0} MiB it has; started there under the governor's watch");
        }

        return new AdmissionDecision(
            AdmissionVerdict.Wait, cheapest.Rung, cheapest.Adjustment, cheapest.Estimate,
            $"estimated {cheapest.Estimate / MiB:0} MiB on its cheapest rung, but only {free / MiB:0} MiB of the {budget / MiB:0} MiB budget is free: it waits for running sessions to end");
    }
}
