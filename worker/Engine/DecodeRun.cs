using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Decodes an input's best video and audio streams and discards the frames: the decode-only
/// throughput of the engine (what the demuxer and decoders cost without filtering or encoding),
/// under the same input policy as a transcode.
/// </summary>
public sealed class DecodeRun(TimeProvider time)
{
    public DecodeRun()
        : this(TimeProvider.System)
    {
    }

    public DecodeResult Run(string path, InputPolicy policy, CancellationToken cancellationToken)
    {
        LibraryCheck.EnsureSupported();
        var inputPath = PathGuard.ResolveInput(path, policy);
        var format = FormatDetector.Detect(inputPath, policy);
        var started = time.GetTimestamp();
        using var interrupt = new InterruptGuard(null, time, cancellationToken);
        try
        {
            using var input = MediaInput.Open(inputPath, format, policy.Limits, interrupt);
            var streams = new[] { input.BestStream(MediaKind.Video), input.BestStream(MediaKind.Audio) }.OfType<MediaStreamInfo>().ToList();
            var decoders = new Decoder?[input.Streams.Count];
            long videoFrames = 0, audioSamples = 0;
            try
            {
                foreach (var stream in streams)
                {
                    decoders[stream.Index] = Decoder.Open(input, stream, policy.Limits);
                }

                using var packet = new Packet();
                using var frame = new Frame();
                void Drain(Decoder decoder)
                {
                    while (decoder.TryReceive(frame))
                    {
                        if (decoder.Stream.Kind == MediaKind.Video)
                        {
                            videoFrames++;
                        }
                        else
                        {
                            audioSamples += frame.SampleCount;
                        }

                        frame.Unref();
                    }
                }

                while (input.TryReadPacket(packet))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (packet.StreamIndex < decoders.Length && decoders[packet.StreamIndex] is { } decoder)
                    {
                        decoder.Send(packet);
                        Drain(decoder);
                    }

                    packet.Unref();
                }

                foreach (var decoder in decoders.OfType<Decoder>())
                {
                    decoder.Send(null);
                    Drain(decoder);
                }
            }
            finally
            {
                foreach (var decoder in decoders)
                {
                    decoder?.Dispose();
                }
            }

            return new DecodeResult(input.FormatName, videoFrames, audioSamples, input.Duration, time.GetElapsedTime(started));
        }
        catch (Exception e) when (FailureMapping.Map(e, interrupt) is { } failure)
        {
            throw failure;
        }
    }
}
