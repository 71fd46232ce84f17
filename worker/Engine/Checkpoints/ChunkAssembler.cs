using System.Globalization;
using System.Text;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Builds the final output from the durable chunks by stream copy: each chunk's packets get their
/// timestamps back (file timestamp + the stream's first dts from the manifest) and are muxed, in
/// order, into the requested container (faststart for mp4) — or, for HLS, each chunk becomes one
/// MPEG-TS segment of a VOD playlist.
/// </summary>
internal static class ChunkAssembler
{
    private const string ChunkDemuxer = "mov";

    /// <summary>One output file from all the chunks.</summary>
    /// <param name="tick">Called per packet, so progress keeps being reported while a long output is assembled.</param>
    public static void Assemble(
        CheckpointManifest manifest, string directory, string outputPath, OutputContainer container, DecoderLimits limits, InterruptGuard interrupt, Action tick)
    {
        EnsureChunks(manifest);
        var lastDts = new Dictionary<int, long>();
        using var output = OpenOutput(manifest, directory, outputPath, container, limits, interrupt, out var streams);
        foreach (var chunk in manifest.Chunks)
        {
            Copy(directory, chunk, output, streams, lastDts, limits, interrupt, tick);
        }

        output.Finish();
    }

    /// <summary>
    /// An HLS VOD presentation: chunk <c>n</c> becomes the MPEG-TS segment <c>STEM-n.ts</c> beside
    /// <paramref name="finalPlaylist"/> (each written under a temporary name, then renamed), and the
    /// playlist goes to <paramref name="playlistPath"/> last, so it never names a missing segment.
    /// Returns the segment files.
    /// </summary>
    public static IReadOnlyList<string> AssembleHls(
        CheckpointManifest manifest, string directory, string playlistPath, string finalPlaylist, DecoderLimits limits, InterruptGuard interrupt, Action tick)
    {
        EnsureChunks(manifest);
        var outputDirectory = Path.GetDirectoryName(playlistPath)!;
        var stem = Path.GetFileNameWithoutExtension(finalPlaylist);
        var segments = new List<string>();
        var lastDts = new Dictionary<int, long>();
        var playlist = new StringBuilder();
        var longest = manifest.Chunks.Max(c => c.End - c.Start);
        playlist.Append(CultureInfo.InvariantCulture, $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-TARGETDURATION:{(int)Math.Ceiling(longest.TotalSeconds)}\n#EXT-X-MEDIA-SEQUENCE:0\n");
        foreach (var chunk in manifest.Chunks)
        {
            var name = $"{stem}-{chunk.Index:D5}.ts";
            var segment = Path.Combine(outputDirectory, name);
            var partial = Path.Combine(outputDirectory, $".{name}.partial");
            try
            {
                using (var output = OpenOutput(manifest, directory, partial, OutputContainer.Hls, limits, interrupt, out var streams))
                {
                    Copy(directory, chunk, output, streams, lastDts, limits, interrupt, tick);
                    output.Finish();
                }

                File.Move(partial, segment, overwrite: true);
            }
            finally
            {
                File.Delete(partial);
            }

            segments.Add(segment);
            playlist.Append(CultureInfo.InvariantCulture, $"#EXTINF:{(chunk.End - chunk.Start).TotalSeconds:0.000000},\n{name}\n");
        }

        playlist.Append("#EXT-X-ENDLIST\n");
        File.WriteAllText(playlistPath, playlist.ToString());
        return segments;
    }

    private static void EnsureChunks(CheckpointManifest manifest)
    {
        if (manifest.Chunks.Count == 0)
        {
            throw new TranscodeException(ErrorReason.INPUT_CORRUPT, "nothing could be decoded from the input: no chunk was produced");
        }
    }

    /// <summary>An output with the streams of the first chunk, header written.</summary>
    private static MediaOutput OpenOutput(
        CheckpointManifest manifest, string directory, string path, OutputContainer container, DecoderLimits limits, InterruptGuard interrupt, out OutputStreams streams)
    {
        var output = MediaOutput.Create(path, ContainerRules.MuxerName(container), interrupt);
        try
        {
            int? videoOut = null, audioOut = null;
            using (var first = OpenChunk(directory, manifest.Chunks[0], limits, interrupt))
            {
                if (manifest.Video is not null && first.Streams.FirstOrDefault(s => s.Kind == MediaKind.Video) is { } video)
                {
                    videoOut = output.AddCopiedStream(first, video);
                }

                if (manifest.Audio is not null && first.Streams.FirstOrDefault(s => s.Kind == MediaKind.Audio) is { } audio)
                {
                    audioOut = output.AddCopiedStream(first, audio);
                    output.SetInitialPadding(audioOut.Value, manifest.Audio.Padding);
                }
            }

            output.Open(ContainerRules.MuxerOptions(container));
            streams = new OutputStreams(
                videoOut,
                videoOut is { } vi ? output.StreamTimeBase(vi) : default,
                manifest.Video is { } v && Rational.TryParse(v.TimeBase, out var tb) ? tb : default,
                audioOut,
                audioOut is { } ai ? output.StreamTimeBase(ai) : default,
                manifest.Audio is { } a ? new Rational(1, a.SampleRate) : default);
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Writes one chunk's packets with their timestamps restored.</summary>
    private static void Copy(
        string directory, ChunkRecord chunk, MediaOutput output, OutputStreams streams, Dictionary<int, long> lastDts, DecoderLimits limits, InterruptGuard interrupt, Action tick)
    {
        using var packet = new Packet();
        using var input = OpenChunk(directory, chunk, limits, interrupt);
        while (input.TryReadPacket(packet))
        {
            if (interrupt.IsInterrupted)
            {
                throw FailureMapping.Interrupted(interrupt, null);
            }

            var stream = input.Streams[packet.StreamIndex];
            var (span, outIndex, timeBase, outTimeBase) = stream.Kind switch
            {
                MediaKind.Video => (chunk.Video, streams.Video, streams.VideoTimeBase, streams.VideoOutputTimeBase),
                MediaKind.Audio => (chunk.Audio, streams.Audio, streams.AudioTimeBase, streams.AudioOutputTimeBase),
                _ => (null, null, default, default),
            };
            if (span is null || outIndex is null)
            {
                packet.Unref();
                continue;
            }

            packet.RescaleTimestamps(stream.TimeBase, timeBase);
            packet.Shift(span.FirstDts);
            packet.RescaleTimestamps(timeBase, outTimeBase);
            packet.StreamIndex = outIndex.Value;
            KeepDtsIncreasing(packet, outIndex.Value, lastDts);
            output.Write(packet);
            tick();
        }
    }

    /// <summary>
    /// A chunk encoded under an adjustment may reorder frames more deeply than the chunk before it
    /// (a frame-rate cut spaces its frames further apart, a preset changes the B-frames), so its first
    /// decode times can fall at or before the last one written. They are moved just past it: decode
    /// times only order the packets, presentation times stay exact.
    /// </summary>
    private static void KeepDtsIncreasing(Packet packet, int stream, Dictionary<int, long> lastDts)
    {
        if (packet.Dts is not { } dts)
        {
            return;
        }

        if (lastDts.TryGetValue(stream, out var last) && dts <= last)
        {
            packet.Dts = last + 1;
        }

        lastDts[stream] = packet.Dts!.Value;
    }

    private static MediaInput OpenChunk(string directory, ChunkRecord chunk, DecoderLimits limits, InterruptGuard interrupt) =>
        MediaInput.Open(Path.Combine(directory, chunk.File), ChunkDemuxer, limits, interrupt);

    /// <summary>The output's streams, their time bases, and the encoder time bases the manifest counts in.</summary>
    private sealed record OutputStreams(int? Video, Rational VideoOutputTimeBase, Rational VideoTimeBase, int? Audio, Rational AudioOutputTimeBase, Rational AudioTimeBase);
}
