namespace Sandbox.Supervisor.Hardware;

/// <summary>
/// Leases each device's encoder sessions, up to its cap (consumer NVENC refuses more than its driver
/// allows, and a GPU shared by too many encodes only gets slower). A lease is held for one worker's
/// life and returned when it ends, however it ends.
/// </summary>
public sealed class EncoderSessions
{
    private readonly Dictionary<string, int> _leased = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool HasFree(HardwareDevice device)
    {
        lock (_gate)
        {
            return _leased.GetValueOrDefault(device.Path) < device.Sessions;
        }
    }

    public int Leased(HardwareDevice device)
    {
        lock (_gate)
        {
            return _leased.GetValueOrDefault(device.Path);
        }
    }

    /// <summary>One session on <paramref name="device"/>, or null when all are leased.</summary>
    public IDisposable? TryLease(HardwareDevice device)
    {
        lock (_gate)
        {
            var leased = _leased.GetValueOrDefault(device.Path);
            if (leased >= device.Sessions)
            {
                return null;
            }

            _leased[device.Path] = leased + 1;
            return new Lease(this, device.Path);
        }
    }

    private void Return(string path)
    {
        lock (_gate)
        {
            _leased[path]--;
        }
    }

    private sealed class Lease(EncoderSessions owner, string path) : IDisposable
    {
        private int _returned;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                owner.Return(path);
            }
        }
    }
}
