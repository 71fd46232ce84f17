using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Memory;

/// <summary>What the ladder decided at one observation: nothing, or a move to <paramref name="To"/> with the adjustment that rung means (cumulative, applied with reset).</summary>
public sealed record LadderDecision(Rung From, Rung To, Adjustment? Adjustment, string Reason)
{
    public bool Moves => To != From;

    public static LadderDecision Stay(Rung rung) => new(rung, rung, null, "");
}
