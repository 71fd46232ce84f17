namespace Sandbox.Worker.Interop;

/// <summary>
/// Ties this process's life to its parent's: the kernel sends SIGKILL when the parent thread that
/// started us dies (PR_SET_PDEATHSIG), so a supervisor killed with SIGKILL leaves no worker behind.
/// </summary>
public static class ParentWatch
{
    private const int PR_SET_PDEATHSIG = 1;
    private const int SIGKILL = 9;

    /// <summary>
    /// Arms the death signal, then checks the parent is still <paramref name="expectedParent"/>:
    /// if it died before the signal was armed, we were re-parented and must go now.
    /// </summary>
    public static bool TryBind(int expectedParent)
    {
        if (LibC.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
        {
            return false;
        }

        return LibC.getppid() == expectedParent;
    }
}
