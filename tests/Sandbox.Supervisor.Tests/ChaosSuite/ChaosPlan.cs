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
/// SANDBOX_CHAOS_SEED): about 45% get a fault of a kind drawn among all restartable ones, some
/// a forbidden syscall, a cancel or a poison input; the rest run clean in every container.
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
        var poison = 0;
        var plan = new List<PlannedSession>(sessions);
        for (var i = 0; i < sessions; i++)
        {
            var draw = random.NextDouble();
            var mischief = draw switch
            {
                < 0.55 => Mischief.None,
                < 0.85 => Mischief.Fault,
                < 0.90 when withFailures => Mischief.ForbiddenSyscall,
                < 0.95 => Mischief.Cancel,
                _ when withFailures && poison++ < maxPoison => Mischief.Poison,
                _ => Mischief.Fault,
            };
            var fault = RestartableFaults[random.Next(RestartableFaults.Length)];
            var at = TimeSpan.FromSeconds(random.Next(0, 5));

            // Faulted sessions encode VP9 (a few seconds per clip) so that the fault lands mid-run;
            // clean ones take every container with its default codecs.
            var container = mischief == Mischief.None ? Containers[i % Containers.Length] : Container.Webm;
            plan.Add(new PlannedSession(i, mischief, fault, at, container));
        }

        return plan;
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
