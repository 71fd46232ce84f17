namespace Sandbox.Supervisor.Memory;

/// <summary>
/// The smoothed Memory Pressure Index: a weighted mean of the instantaneous values of the last
/// <see cref="PressureIndexOptions.Window"/>, each weighted <see cref="PressureIndexOptions.Decay"/>^age
/// with its age in seconds (seed §4.1: 60 s, step 1 s, 0.95). Recent samples dominate, so the index
/// follows a rise within seconds but one spike does not trip it.
/// </summary>
public sealed class PressureWindow(PressureIndexOptions options)
{
    private readonly Queue<(DateTimeOffset Time, double Value)> _values = new();
    private MemorySample? _last;

    /// <summary>The newest instantaneous MPI.</summary>
    public double Latest { get; private set; }

    /// <summary>Adds a sample and returns the smoothed index.</summary>
    public double Add(MemorySample sample)
    {
        Latest = PressureIndex.Of(_last, sample, options);
        _last = sample;
        _values.Enqueue((sample.Time, Latest));
        while (_values.Count > 0 && sample.Time - _values.Peek().Time >= options.Window)
        {
            _values.Dequeue();
        }

        return Smoothed(sample.Time);
    }

    /// <summary>The weighted mean at <paramref name="now"/> (0 with no samples).</summary>
    public double Smoothed(DateTimeOffset now)
    {
        double weighted = 0, weights = 0;
        foreach (var (time, value) in _values)
        {
            var weight = Math.Pow(options.Decay, Math.Max(0, (now - time).TotalSeconds));
            weighted += weight * value;
            weights += weight;
        }

        return weights > 0 ? weighted / weights : 0;
    }
}
