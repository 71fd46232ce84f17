namespace Sandbox.Supervisor.Isolation.Cgroups;

/// <summary>Reading, probing and removing cgroupfs directories, the same for both drivers.</summary>
internal static class CgroupFiles
{
    /// <summary>How long a cgroup may take to empty once its processes were killed (a big process takes a while to exit).</summary>
    private static readonly TimeSpan RemoveTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RemoveRetryInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>A number file (<c>memory.current</c>, <c>pids.max</c>…); 0 when it is absent or says <c>max</c> (no limit).</summary>
    public static long ReadNumber(string path) =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), out var value) ? value : 0;

    /// <summary>One <c>KEY VALUE</c> line of a flat-keyed file (<c>memory.events</c>, <c>memory.oom_control</c>); 0 when absent.</summary>
    public static long ReadKey(string path, string key) => ReadKeys(path).GetValueOrDefault(key);

    /// <summary>Every <c>KEY VALUE</c> line of a flat-keyed file (<c>memory.stat</c>…), read once; empty when the file is absent.</summary>
    public static IReadOnlyDictionary<string, long> ReadKeys(string path)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && long.TryParse(parts[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                values[parts[0]] = value;
            }
        }

        return values;
    }

    /// <summary>Whether this process may make cgroups under <paramref name="directory"/>: tried, not guessed from modes.</summary>
    public static bool CanCreateChild(string directory)
    {
        var probe = Path.Combine(directory, $"sandbox-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Kills what is inside (<paramref name="killAll"/>) and removes the directory once the kernel has
    /// let the last process go (rmdir fails with EBUSY until then); gives up after a while, leaving it
    /// for the next RemoveStale.
    /// </summary>
    public static void Remove(string directory, Action<string> killAll)
    {
        var end = DateTime.UtcNow + RemoveTimeout;
        while (Directory.Exists(directory))
        {
            try
            {
                killAll(directory);
                Directory.Delete(directory);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < end)
            {
                Thread.Sleep(RemoveRetryInterval);
            }
            catch (IOException)
            {
                return;
            }
        }
    }
}
