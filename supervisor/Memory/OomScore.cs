namespace Sandbox.Supervisor.Memory;

/// <summary>
/// Whom the kernel's OOM killer picks if a host-wide OOM happens despite the budgets: never the
/// supervisor (−900, so it survives to restart and report), always a worker first (+1000, the most
/// a process can have; every worker sets it on itself before it executes, and its children inherit it).
/// </summary>
internal static class OomScore
{
    public const int Supervisor = -900;

    public const int Worker = 1000;

    private const string OwnFile = "/proc/self/oom_score_adj";

    /// <summary>
    /// Lowers the supervisor's score. That takes CAP_SYS_RESOURCE, which root has on a normal host
    /// but not in every container; false when it was refused.
    /// </summary>
    public static bool ProtectSupervisor()
    {
        try
        {
            File.WriteAllText(OwnFile, Supervisor.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    /// <summary>The shell step a worker's launch prelude runs first: raising one's own score needs no privilege.</summary>
    public static string WorkerPreludeStep => $"echo {Worker} > {OwnFile}";
}
