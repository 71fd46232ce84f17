using System.Text.Json;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Checkpoints;

/// <summary>
/// A checkpointed transcode interrupted at random points — SIGKILL, and a segfault inside FFmpeg —
/// and resumed by a fresh worker must give exactly the output of an uninterrupted run: the same
/// packets at the same times (so no frame is duplicated or missing at any cut, and audio stays
/// where video is), decoding cleanly end to end, and no crash may cost more than one chunk.
/// </summary>
[Collection(ClipCollection.Name)]
public sealed class ResumeTests(ClipLibrary clips) : IDisposable
{
    /// <summary>Fixed so a failure can be replayed; the points it draws are printed in every assertion.</summary>
    private const int Seed = 20261124;
    private const int ResumesPerContainer = 3;
    private const double ChunkSeconds = 1;

    private readonly TempDirectory _work = new();

    public static TheoryData<string, string[]> Outputs => new()
    {
        { "mp4", [] },
        { "mkv", ["--audio-codec", "opus"] },
        { "ts", [] },
        { "webm", ["--preset", "8"] },
    };

    public void Dispose() => _work.Dispose();

    [Theory]
    [MemberData(nameof(Outputs))]
    public async Task Crashes_at_random_points_resume_to_the_uninterrupted_output(string extension, string[] options)
    {
        var reference = _work.File($"reference.{extension}");
        WorkerAssert.Succeeded(await TranscodeAsync(reference, _work.Subdirectory("reference-checkpoints"), options));
        var expected = await PacketTimeline.ReadAsync(reference);
        Assert.Equal(250, expected.Video.Count);

        var random = new Random(Seed + extension.GetHashCode(StringComparison.Ordinal) % 1000);
        for (var run = 0; run < ResumesPerContainer; run++)
        {
            var output = _work.File($"resumed-{run}.{extension}");
            var checkpoints = _work.Subdirectory($"checkpoints-{run}");
            var points = new List<string>();

            // Two deaths per run: the second one interrupts a worker that was itself resuming.
            foreach (var death in new[] { "segv", "kill" })
            {
                var frames = random.Next(1, 110);
                points.Add($"{death}@{frames}");
                var durableBefore = DurableSeconds(checkpoints);
                var crashed = await TranscodeAsync(output, checkpoints, [.. options, "--allow-fault-injection", "--fault", $"{death}@{frames}"]);
                Assert.True(crashed.ExitCode == (death == "segv" ? 128 + 11 : 128 + 9), $"expected death by {death} at {string.Join(", ", points)}\n{crashed}");
                Assert.False(File.Exists(output), "a crashed worker left an output file");

                // Everything encoded before the crash is durable except the chunk being written (plus the
                // audio that interleaving keeps a few packets behind). Frames still in the encoder's
                // lookahead were only read, not encoded: progress and the fault count frames out of the encoder.
                var reached = Math.Min(10, durableBefore + ((double)frames / ClipFactory.FrameRate));
                var lost = reached - DurableSeconds(checkpoints);
                Assert.True(lost <= ChunkSeconds + 0.2, $"the crash at {string.Join(", ", points)} lost {lost:0.00} s of encoded media, more than one chunk");
            }

            var hadCheckpoints = File.Exists(Path.Combine(checkpoints, "manifest.json"));
            var resumed = WorkerAssert.Succeeded(await TranscodeAsync(output, checkpoints, options));
            var context = $"{extension}, deaths at {string.Join(", ", points)}";
            if (hadCheckpoints)
            {
                Assert.True(resumed.ResumedFrom > 0, $"{context}: the worker started over instead of resuming");
            }

            var actual = await PacketTimeline.ReadAsync(output);
            Assert.True(expected.Video.SequenceEqual(actual.Video), $"{context}: video packets differ from the uninterrupted run");
            Assert.True(expected.Audio.SequenceEqual(actual.Audio), $"{context}: audio packets differ from the uninterrupted run");
            Assert.Equal("", await PacketTimeline.DecodeErrorsAsync(output));
            Assert.False(Directory.Exists(checkpoints), $"{context}: the checkpoints were not removed after assembly");
        }
    }

    private Task<WorkerResult> TranscodeAsync(string output, string checkpoints, string[] options) =>
        WorkerProcess.TranscodeAsync(clips.LongMp4.Path, output, ["--checkpoints", checkpoints, "--chunk-length", $"{ChunkSeconds}s", .. options]);

    /// <summary>The media time the manifest says is durable (0 without a manifest).</summary>
    private static double DurableSeconds(string checkpoints)
    {
        var path = Path.Combine(checkpoints, "manifest.json");
        if (!File.Exists(path))
        {
            return 0;
        }

        using var manifest = JsonDocument.Parse(File.ReadAllBytes(path));
        var chunks = manifest.RootElement.GetProperty("chunks");
        return chunks.GetArrayLength() == 0 ? 0 : TimeSpan.Parse(chunks[chunks.GetArrayLength() - 1].GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds;
    }
}
