using Sandbox.Api.Worker.V1;

namespace Sandbox.Supervisor.Memory;

/// <summary>One worker's memory as sampled: the last sample and its pressure index, raw and smoothed.</summary>
internal sealed class WorkerMemory(PressureWindow window)
{
    private readonly Lock _gate = new();

    public MemorySample? Last { get; private set; }

    public double Latest { get; private set; }

    public double Smoothed { get; private set; }

    /// <summary>The worker's last report of its own memory, or null when it did not answer.</summary>
    public WorkerStats? Report { get; set; }

    public void Add(MemorySample sample)
    {
        lock (_gate)
        {
            Smoothed = window.Add(sample);
            Latest = window.Latest;
            Last = sample;
        }
    }
}
