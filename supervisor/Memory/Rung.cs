namespace Sandbox.Supervisor.Memory;

/// <summary>The downgrade ladder's rungs (seed §4.4), cheapest in memory last; each includes the ones above it.</summary>
public enum Rung
{
    /// <summary>The spec's own settings.</summary>
    Full = 0,

    /// <summary>Frame-rate cut: every n-th frame.</summary>
    FrameRate = 1,

    /// <summary>Resolution scale, aspect kept.</summary>
    Resolution = 2,

    /// <summary>A cheaper encoder setup: fastest preset, one thread, no lookahead.</summary>
    Encoder = 3,

    /// <summary>Evicted: the worker is stopped; the session is requeued or fails with OOM_KILLED.</summary>
    Evicted = 4,
}
