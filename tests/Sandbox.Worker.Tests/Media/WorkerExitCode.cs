namespace Sandbox.Worker.Tests.Media;

/// <summary>The worker's exit codes, as its README defines them.</summary>
public static class WorkerExitCode
{
    public const int Success = 0;

    /// <summary>The transcode failed with a typed reason.</summary>
    public const int Failed = 1;

    /// <summary>Invalid spec or usage.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled by SIGINT or SIGTERM.</summary>
    public const int Cancelled = 130;
}
