using System.Diagnostics;

namespace Sandbox.Worker.Engine;

/// <summary>
/// The worker's spans (ActivitySource <c>Sandbox.Worker</c>): the transcode's phases. Nothing listens
/// unless the supervisor asked for a trace (see Rpc.WorkerTrace), so they cost nothing otherwise.
/// </summary>
public static class EngineTrace
{
    public const string SourceName = "Sandbox.Worker";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A phase of the work as a child of the current span (null when nobody traces).</summary>
    public static Activity? Phase(string name) => Source.StartActivity(name);

    /// <summary>Runs <paramref name="step"/> as a phase of its own.</summary>
    public static T Traced<T>(string name, Func<T> step)
    {
        using var phase = Phase(name);
        return step();
    }
}
