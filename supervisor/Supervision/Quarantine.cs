using System.Text.Json;
using System.Text.Json.Serialization;
using Sandbox.Supervisor.Storage;

namespace Sandbox.Supervisor.Supervision;

/// <summary>
/// Inputs found to be poison: the same death, at the same place, repeated. They are refused at
/// Submit until an operator clears them. Kept in <c>quarantine.json</c> in the state directory
/// (written atomically), so a restarted supervisor still refuses them.
/// </summary>
internal sealed class Quarantine
{
    private const string FileName = "quarantine.json";

    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, QuarantineEntry> _entries;

    public Quarantine(StateDirectories directories)
    {
        _path = Path.Combine(directories.Root, FileName);
        _entries = Load(_path).ToDictionary(e => e.Fingerprint);
    }

    public QuarantineEntry? Find(string fingerprint)
    {
        lock (_gate)
        {
            return _entries.GetValueOrDefault(fingerprint);
        }
    }

    public IReadOnlyList<QuarantineEntry> List()
    {
        lock (_gate)
        {
            return [.. _entries.Values.OrderBy(e => e.QuarantinedAt)];
        }
    }

    public void Add(QuarantineEntry entry)
    {
        lock (_gate)
        {
            _entries[entry.Fingerprint] = entry;
            Save();
        }
    }

    /// <summary>Clears one input, or all when <paramref name="fingerprint"/> is empty; returns how many were cleared.</summary>
    public int Clear(string fingerprint)
    {
        lock (_gate)
        {
            var cleared = fingerprint.Length == 0 ? _entries.Count : _entries.Remove(fingerprint) ? 1 : 0;
            if (fingerprint.Length == 0)
            {
                _entries.Clear();
            }

            Save();
            return cleared;
        }
    }

    private static List<QuarantineEntry> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), QuarantineJson.Default.ListQuarantineEntry) ?? [];
        }
        catch (JsonException e)
        {
            throw new IOException($"{path} is not a readable quarantine list ({e.Message}); fix or remove it", e);
        }
    }

    private void Save() =>
        Worker.Interop.DurableFile.WriteAtomically(_path, JsonSerializer.SerializeToUtf8Bytes([.. _entries.Values], QuarantineJson.Default.ListQuarantineEntry));
}

/// <summary>One quarantined input.</summary>
internal sealed record QuarantineEntry(string Fingerprint, string Input, string Death, TimeSpan Position, int Deaths, string SessionId, DateTimeOffset QuarantinedAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<QuarantineEntry>))]
internal sealed partial class QuarantineJson : JsonSerializerContext;
