using System.Text.Json;
using System.Text.RegularExpressions;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Reads, checks and writes a checkpoint directory. Nothing in it is trusted: a manifest that is not
/// ours, of another version, session, input or settings is refused with a reason; a chunk file that
/// is missing, truncated or fails its checksum is dropped with every chunk after it, and redone.
/// </summary>
internal static partial class CheckpointStore
{
    public const string ManifestFile = "manifest.json";

    /// <summary>
    /// The checked manifest to continue from, or null to start afresh (no manifest yet). Leftovers of
    /// an interrupted worker (partial chunks, chunks never recorded) are removed. <paramref name="repairs"/>
    /// says what was dropped and why.
    /// </summary>
    public static CheckpointManifest? Open(CheckpointOptions options, string settings, OutputContainer container, InputIdentity input, out string? repairs)
    {
        repairs = null;
        Directory.CreateDirectory(options.Directory);
        var manifest = Read(options.Directory);
        if (manifest is not null)
        {
            Check(manifest, options, settings, container, input);
            manifest = DropDamagedChunks(manifest, options.Directory, out repairs);
            if (repairs is not null)
            {
                Save(options.Directory, manifest);
            }
        }

        RemoveLeftovers(options.Directory, manifest);
        return manifest;
    }

    public static void Save(string directory, CheckpointManifest manifest) =>
        DurableFile.WriteAtomically(Path.Combine(directory, ManifestFile), JsonSerializer.SerializeToUtf8Bytes(manifest, CheckpointJson.Default.CheckpointManifest));

    /// <summary>Removes the manifest and every chunk (after a successful assembly).</summary>
    public static void Remove(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory).Where(f => IsOurs(Path.GetFileName(f))))
        {
            File.Delete(file);
        }

        if (!Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
        }
    }

    private static CheckpointManifest? Read(string directory)
    {
        var path = Path.Combine(directory, ManifestFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), CheckpointJson.Default.CheckpointManifest)
                ?? throw Invalid("it is empty (null)");
        }
        catch (JsonException e)
        {
            throw Invalid($"it is not a readable manifest ({e.Message})");
        }
    }

    private static void Check(CheckpointManifest manifest, CheckpointOptions options, string settings, OutputContainer container, InputIdentity input)
    {
        if (manifest.Format != CheckpointManifest.FormatName)
        {
            throw Invalid($"its format is \"{manifest.Format}\", not \"{CheckpointManifest.FormatName}\"");
        }

        if (manifest.Version != CheckpointManifest.CurrentVersion)
        {
            throw Invalid($"it is version {manifest.Version}; this worker reads version {CheckpointManifest.CurrentVersion}");
        }

        if (manifest.Session != options.Session)
        {
            throw Invalid($"it belongs to session \"{manifest.Session}\", not \"{options.Session}\"");
        }

        if (manifest.Container != ContainerRules.Name(container) || manifest.Settings != settings || manifest.ChunkLength != options.ChunkLength)
        {
            throw Invalid("it was made with other output settings (container, codecs or chunk length)");
        }

        if (InputFingerprint.Difference(manifest.Input, input) is { } difference)
        {
            throw new TranscodeException(ErrorReason.INPUT_CHANGED, $"the input is not the one the checkpoints were made from: {difference}");
        }

        for (var i = 0; i < manifest.Chunks.Count; i++)
        {
            var chunk = manifest.Chunks[i];
            if (chunk.Index != i || !ChunkName().IsMatch(chunk.File) || chunk.File != $"chunk-{i:D5}.mp4" || chunk.End < chunk.Start
                || (i > 0 && chunk.Start < manifest.Chunks[i - 1].Start) || (chunk.Video is null && chunk.Audio is null))
            {
                throw Invalid($"its chunk list is inconsistent at entry {i}");
            }
        }
    }

    private static CheckpointManifest DropDamagedChunks(CheckpointManifest manifest, string directory, out string? repairs)
    {
        repairs = null;
        for (var i = 0; i < manifest.Chunks.Count; i++)
        {
            var chunk = manifest.Chunks[i];
            var path = Path.Combine(directory, chunk.File);
            var problem = !File.Exists(path) ? "is missing"
                : new FileInfo(path).Length != chunk.Bytes ? $"has {new FileInfo(path).Length} bytes instead of {chunk.Bytes} (truncated or overwritten)"
                : ChunkWriter.Checksum(path) != chunk.Sha256 ? "fails its SHA-256 checksum"
                : null;
            if (problem is not null)
            {
                repairs = $"chunk {i} ({chunk.File}) {problem}: it and the {manifest.Chunks.Count - i - 1} chunk(s) after it are redone from {chunk.Start}";
                return manifest with { Chunks = [.. manifest.Chunks.Take(i)], Complete = false };
            }
        }

        return manifest;
    }

    /// <summary>Deletes partial chunks and chunks the manifest does not list; everything else in the directory is left alone.</summary>
    private static void RemoveLeftovers(string directory, CheckpointManifest? manifest)
    {
        var listed = manifest?.Chunks.Select(c => c.File).ToHashSet() ?? [];
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(file);
            if (IsOurs(name) && name != ManifestFile && !listed.Contains(name))
            {
                File.Delete(file);
            }
        }
    }

    private static bool IsOurs(string name) => name == ManifestFile || name == ManifestFile + ".tmp" || ChunkName().IsMatch(name) || PartialName().IsMatch(name);

    private static TranscodeException Invalid(string why) =>
        new(ErrorReason.CHECKPOINT_INVALID, $"the checkpoint manifest cannot be used: {why}");

    [GeneratedRegex(@"^chunk-\d{5}\.mp4$")]
    private static partial Regex ChunkName();

    [GeneratedRegex(@"^chunk-\d{5}\.mp4\.partial$")]
    private static partial Regex PartialName();
}
