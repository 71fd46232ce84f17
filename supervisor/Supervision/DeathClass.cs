namespace Sandbox.Supervisor.Supervision;

/// <summary>How a worker ended, as the supervisor tells it from the exit status, the cgroup's OOM counters and the worker's last words.</summary>
public enum DeathClass
{
    /// <summary>The worker reported a typed failure (corrupt input, unsupported codec…) and exited.</summary>
    Failed,

    /// <summary>SIGSEGV, SIGBUS, SIGILL or SIGFPE: a native crash (in FFmpeg, usually).</summary>
    NativeCrash,

    /// <summary>SIGABRT: an assertion or a detected heap corruption.</summary>
    Abort,

    /// <summary>SIGSYS: its seccomp filter killed it for a forbidden syscall.</summary>
    Seccomp,

    /// <summary>The kernel killed it for exceeding its cgroup's memory limit.</summary>
    OomKill,

    /// <summary>It reported no progress within the hang timeout, and the supervisor killed it.</summary>
    Hang,

    /// <summary>The connection to it broke, or it ended without a result and without a signal that says why.</summary>
    LostConnection,
}
