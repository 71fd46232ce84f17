using System.Text.Json.Nodes;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Checkpoints;

/// <summary>
/// Checkpoints are read back, never trusted: a manifest that is corrupt or belongs to another
/// session, version, input or settings is refused with a reason; a damaged chunk is redone with
/// every chunk after it, and the output is still exactly the uninterrupted one.
/// </summary>
[Collection(ClipCollection.Name)]
public sealed class CheckpointDamageTests(ClipLibrary clips) : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_manifest_that_is_not_json_is_refused()
    {
        var checkpoints = await KeptCheckpointsAsync();
        await File.WriteAllTextAsync(Manifest(checkpoints), "{\"format\": \"sandbox-checkpoints\", \"version\": 1, \"chun");
        var error = await ExpectRefusedAsync(checkpoints, ErrorReason.CHECKPOINT_INVALID);
        Assert.Contains("not a readable manifest", error.Message);
    }

    [Theory]
    [InlineData("format", "\"someone-elses-format\"", "format")]
    [InlineData("version", "2", "version 2")]
    [InlineData("session", "\"another-session\"", "another-session")]
    [InlineData("settings", "\"0000000000000000\"", "other output settings")]
    public async Task A_manifest_of_another_kind_session_or_settings_is_refused(string field, string value, string expected)
    {
        var checkpoints = await KeptCheckpointsAsync();
        await EditManifestAsync(checkpoints, manifest => manifest[field] = JsonNode.Parse(value));
        var error = await ExpectRefusedAsync(checkpoints, ErrorReason.CHECKPOINT_INVALID);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task A_chunk_name_leaving_the_directory_is_refused()
    {
        var checkpoints = await KeptCheckpointsAsync();
        await EditManifestAsync(checkpoints, manifest => manifest["chunks"]![1]!["file"] = "../../etc/passwd");
        await ExpectRefusedAsync(checkpoints, ErrorReason.CHECKPOINT_INVALID);
    }

    [Fact]
    public async Task Checkpoints_of_another_input_are_refused()
    {
        var checkpoints = await KeptCheckpointsAsync();
        var result = await WorkerProcess.TranscodeAsync(clips.Mp4.Path, _work.File("out.mp4"), Options(checkpoints));
        var error = WorkerAssert.Failed(result, WorkerExitCode.Failed, ErrorReason.INPUT_CHANGED);
        Assert.Contains("size changed", error.Message);
    }

    [Fact]
    public async Task An_input_modified_since_the_checkpoints_is_refused()
    {
        var input = _work.File("input.mp4");
        File.Copy(clips.LongMp4.Path, input);
        var checkpoints = await KeptCheckpointsAsync(input);

        // Same size, same first and last MiB: only the modification time tells.
        File.SetLastWriteTimeUtc(input, DateTime.UtcNow.AddMinutes(1));
        var result = await WorkerProcess.TranscodeAsync(input, _work.File("out.mp4"), Options(checkpoints));
        var error = WorkerAssert.Failed(result, WorkerExitCode.Failed, ErrorReason.INPUT_CHANGED);
        Assert.Contains("modified", error.Message);
    }

    [Fact]
    public async Task An_input_rewritten_with_the_same_size_and_time_is_refused()
    {
        var input = _work.File("input.mp4");
        File.Copy(clips.LongMp4.Path, input);
        var checkpoints = await KeptCheckpointsAsync(input);

        var modified = File.GetLastWriteTimeUtc(input);
        var bytes = await File.ReadAllBytesAsync(input);
        bytes[100] ^= 0xFF;
        await File.WriteAllBytesAsync(input, bytes);
        File.SetLastWriteTimeUtc(input, modified);
        var result = await WorkerProcess.TranscodeAsync(input, _work.File("out.mp4"), Options(checkpoints));
        var error = WorkerAssert.Failed(result, WorkerExitCode.Failed, ErrorReason.INPUT_CHANGED);
        Assert.Contains("content changed", error.Message);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("missing")]
    [InlineData("corrupted")]
    public async Task A_damaged_chunk_is_redone_and_the_output_is_unchanged(string damage)
    {
        var reference = _work.File("reference.mp4");
        WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, reference, Options(_work.Subdirectory("reference"))));
        var checkpoints = await KeptCheckpointsAsync();
        var chunk = Path.Combine(checkpoints, "chunk-00004.mp4");
        switch (damage)
        {
            case "truncated":
                await using (var stream = new FileStream(chunk, FileMode.Open))
                {
                    stream.SetLength(stream.Length / 2);
                }

                break;
            case "missing":
                File.Delete(chunk);
                break;
            default:
                var bytes = await File.ReadAllBytesAsync(chunk);
                bytes[bytes.Length / 2] ^= 0xFF;
                await File.WriteAllBytesAsync(chunk, bytes);
                break;
        }

        var output = _work.File("out.mp4");
        var completed = WorkerAssert.Succeeded(await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, output, Options(checkpoints)));
        Assert.NotNull(completed.Repaired);
        Assert.Contains("chunk 4", completed.Repaired);
        Assert.Equal(4.0, completed.ResumedFrom!.Value, precision: 1);
        var expected = await PacketTimeline.ReadAsync(reference);
        var actual = await PacketTimeline.ReadAsync(output);
        Assert.Equal(expected.Video, actual.Video);
        Assert.Equal(expected.Audio, actual.Audio);
        Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(output));
    }

    /// <summary>A complete set of checkpoints of the 10 s clip (ten 1 s chunks), kept after assembly.</summary>
    private async Task<string> KeptCheckpointsAsync(string? input = null)
    {
        var checkpoints = _work.Subdirectory("checkpoints");
        var result = await WorkerProcess.TranscodeAsync(input ?? clips.LongMp4.Path, _work.File("first.mp4"), [.. Options(checkpoints), "--keep-chunks"]);
        Assert.Equal(10, WorkerAssert.Succeeded(result).Chunks);
        return checkpoints;
    }

    private async Task<WorkerError> ExpectRefusedAsync(string checkpoints, ErrorReason reason)
    {
        var output = _work.File("out.mp4");
        var result = await WorkerProcess.TranscodeAsync(clips.LongMp4.Path, output, Options(checkpoints));
        var error = WorkerAssert.Failed(result, WorkerExitCode.Failed, reason);
        Assert.False(File.Exists(output));
        return error;
    }

    private static async Task EditManifestAsync(string checkpoints, Action<JsonNode> edit)
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Manifest(checkpoints)))!;
        edit(manifest);
        await File.WriteAllTextAsync(Manifest(checkpoints), manifest.ToJsonString());
    }

    private static string Manifest(string checkpoints) => Path.Combine(checkpoints, "manifest.json");

    private static string[] Options(string checkpoints) => ["--checkpoints", checkpoints, "--chunk-length", "1s"];
}
