using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Builds the final output from the durable chunks by stream copy: each chunk's packets get their
/// timestamps back (file timestamp + the stream's first dts from the manifest) and are muxed, in
/// order, into the requested container (faststart for mp4).
/// </summary>
internal static class ChunkAssembler
{
    private const string ChunkDemuxer = "mov";

    public static void Assemble(CheckpointManifest manifest, string directory, string outputPath, OutputContainer container, DecoderLimits limits, InterruptGuard interrupt)
    {
        if (manifest.Chunks.Count == 0)
        {
            throw new TranscodeException(ErrorReason.INPUT_CORRUPT, "nothing could be decoded from the input: no chunk was produced");
        }

        var videoTimeBase = manifest.Video is { } v && Rational.TryParse(v.TimeBase, out var tb) ? tb : default;
        var audioTimeBase = manifest.Audio is { } a ? new Rational(1, a.SampleRate) : default;
        using var output = MediaOutput.Create(outputPath, ContainerRules.MuxerName(container), interrupt);
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
        var videoOutTimeBase = videoOut is { } vi ? output.StreamTimeBase(vi) : default;
        var audioOutTimeBase = audioOut is { } ai ? output.StreamTimeBase(ai) : default;
        using var packet = new Packet();
        var lastDts = new Dictionary<int, long>();
        foreach (var chunk in manifest.Chunks)
        {
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
                    MediaKind.Video => (chunk.Video, videoOut, videoTimeBase, videoOutTimeBase),
                    MediaKind.Audio => (chunk.Audio, audioOut, audioTimeBase, audioOutTimeBase),
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
            }
        }

        output.Finish();
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
}
