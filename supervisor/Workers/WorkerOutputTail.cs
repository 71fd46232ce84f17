namespace Sandbox.Supervisor.Workers;

/// <summary>Keeps the last lines a worker wrote (its stderr), bounded so a chatty worker cannot grow it.</summary>
internal sealed class WorkerOutputTail(int capacity = 40)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }
}
