using System.Globalization;
using System.Text;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Tests.ChaosSuite;

/// <summary>The table a chaos run prints: sessions, faults by kind, restarts, outcomes, leaks and the supervisor's own cost.</summary>
public static class ChaosSummary
{
    public static string Render(string title, IReadOnlyList<ChaosOutcome> outcomes, IReadOnlyDictionary<string, int> leaks, SupervisorCost cost, TimeSpan wall)
    {
        var text = new StringBuilder();
        var line = (string s) => text.Append(s).Append('\n');
        line($"{title}: {outcomes.Count} sessions in {wall.TotalSeconds:0} s");
        line($"  {"mischief",-26} {"planned",8} {"struck",8} {"restarts",9}  outcomes");
        foreach (var group in outcomes.GroupBy(Label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ends = string.Join(", ", group.GroupBy(End).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
            line($"  {group.Key,-26} {group.Count(),8} {group.Count(o => o.Delivered),8} {group.Sum(o => o.Deaths.Count),9}  {ends}");
        }

        var struck = outcomes.Count(o => o.Delivered);
        line($"  faults struck: {struck} of {outcomes.Count} sessions ({100.0 * struck / Math.Max(1, outcomes.Count):0}%)");
        line($"  restarts by death: {Join(outcomes.SelectMany(o => o.Deaths).GroupBy(d => d).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}");
        line($"  outcomes: {Join(outcomes.GroupBy(End).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}");
        line($"  leaks: {Join(leaks.Select(l => $"{l.Key} {l.Value}"))}");
        line($"  supervisor: {cost}");
        return text.ToString();
    }

    public static string Name(FaultKind kind) => kind.ToString().Replace("Fault", "", StringComparison.Ordinal).ToLowerInvariant();

    private static string Label(ChaosOutcome o) => o.Plan.Mischief switch
    {
        Mischief.Fault => $"fault: {Name(o.Plan.Fault)}",
        Mischief.ForbiddenSyscall => "forbidden syscall",
        _ => o.Plan.Mischief.ToString().ToLowerInvariant(),
    };

    private static string End(ChaosOutcome o) => o.State is SessionState.Completed or SessionState.Cancelled
        ? o.State.ToString().ToUpperInvariant()
        : $"{o.State.ToString().ToUpperInvariant()} {ErrorReasonNames.Name(o.Reason)}";

    private static string Join(IEnumerable<string> parts) => parts.Any() ? string.Join(", ", parts) : "none";
}
