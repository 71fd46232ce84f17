using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Tests.ChaosSuite;

/// <summary>What the chaos suite does to one session.</summary>
public enum Mischief
{
    /// <summary>Nothing: it must complete without a restart.</summary>
    None,

    /// <summary>One restartable fault (crash, abort, exit, SIGKILL, lost socket, hang, leak): it must complete after one restart.</summary>
    Fault,

    /// <summary>A forbidden syscall: the lockdown kills the worker, the session fails with SECCOMP_VIOLATION, no restart.</summary>
    ForbiddenSyscall,

    /// <summary>Cancelled at its first progress: it ends CANCELLED.</summary>
    Cancel,

    /// <summary>Its worker segfaults at the same place twice, as on a poison input: it fails with POISON_INPUT.</summary>
    Poison,
}

/// <summary>One session of a chaos run: what is done to it, and when.</summary>
public sealed record PlannedSession(int Index, Mischief Mischief, FaultKind Fault, TimeSpan At, Container Container);

/// <summary>
/// The sessions of a chaos run, drawn from a seed (printed, so a failing run can be replayed with
/// SANDBOX_CHAOS_SEED). The mix is fixed and only its order is drawn, so every run strikes as many
/// sessions: 30% get a fault of a kind drawn among all restartable ones, 5% a forbidden syscall, 5%
/// a cancel, 5% a poison input (at most <c>maxPoison</c>; the rest of that share get a fault); the
/// rest run clean in every container. Without failures, the syscall and poison shares get faults.
/// </summary>
public static class ChaosPlan
{
    public static readonly FaultKind[] RestartableFaults =
    [
        FaultKind.FaultSegfault, FaultKind.FaultAbort, FaultKind.FaultExit, FaultKind.FaultSigkill,
        FaultKind.FaultDisconnect, FaultKind.FaultHang, FaultKind.FaultLeak,
    ];

    private static readonly Container[] Containers = [Container.Mp4, Container.Mkv, Container.Mpegts, Container.Webm];

    public static IReadOnlyList<PlannedSession> Draw(int sessions, int seed, bool withFailures, int maxPoison = 4)
    {
        var random = new Random(seed);
        var mix = Mix(sessions, withFailures, maxPoison);
        random.Shuffle(mix);
        var plan = new List<PlannedSession>(sessions);
        for (var i = 0; i < sessions; i++)
        {
            var fault = RestartableFaults[random.Next(RestartableFaults.Length)];
            var at = TimeSpan.FromSeconds(random.Next(0, 5));

            // Faulted sessions encode VP9 (a few seconds per clip) so that the fault lands mid-run;
            // clean ones take every container with its default codecs.
            var container = mix[i] == Mischief.None ? Containers[i % Containers.Length] : Container.Webm;
            plan.Add(new PlannedSession(i, mix[i], fault, at, container));
        }

        return plan;
    }

    /// <summary>The run's mischief before the shuffle: 45% struck in all (faults fill what the other shares leave), the rest clean.</summary>
    private static Mischief[] Mix(int sessions, bool withFailures, int maxPoison)
    {
        int Share(double fraction) => (int)Math.Round(sessions * fraction, MidpointRounding.AwayFromZero);
        var forbidden = withFailures ? Share(0.05) : 0;
        var poison = withFailures ? Math.Min(Share(0.05), maxPoison) : 0;
        var cancel = Share(0.05);
        var faults = Share(0.45) - forbidden - poison - cancel;
        var mix = new Mischief[sessions];
        var next = 0;
        foreach (var (mischief, count) in new[] { (Mischief.Fault, faults), (Mischief.ForbiddenSyscall, forbidden), (Mischief.Poison, poison), (Mischief.Cancel, cancel) })
        {
            Array.Fill(mix, mischief, next, count);
            next += count;
        }

        return mix;
    }

    /// <summary>The death class a restartable fault must be classified as.</summary>
    public static string DeathOf(FaultKind fault) => fault switch
    {
        FaultKind.FaultSegfault => "native_crash",
        FaultKind.FaultAbort => "abort",
        FaultKind.FaultHang => "hang",
        FaultKind.FaultLeak => "oom_kill",
        _ => "lost_connection",
    };
}
