using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// Runs one transcode: validate → resolve paths → detect the input format from its content →
/// demux → decode → filter → encode → mux into a temporary file → rename into place. Every failure
/// surfaces as a <see cref="TranscodeException"/> with a reason, and no partial output survives.
/// </summary>
public sealed class Transcoder(TimeProvider time)
{
    public Transcoder()
        : this(TimeProvider.System)
    {
    }

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs the transcode on a dedicated thread (FFmpeg calls block), honouring cancellation and the spec's deadline.</summary>
    /// <param name="adjustments">Where adjustments to a checkpointed transcode arrive while it runs (none when null).</param>
    public Task<TranscodeResult> RunAsync(
        TranscodeSpec spec, InputPolicy policy, IProgress<TranscodeProgress>? progress, CancellationToken cancellationToken, AdjustmentChannel? adjustments = null) =>
        Task.Factory.StartNew(
            () => Run(spec, policy, progress, cancellationToken, adjustments),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    public TranscodeResult Run(
        TranscodeSpec spec, InputPolicy policy, IProgress<TranscodeProgress>? progress, CancellationToken cancellationToken, AdjustmentChannel? adjustments = null)
    {
        adjustments ??= new AdjustmentChannel();
        var violations = SpecValidator.Validate(spec);
        if (violations.Count > 0)
        {
            throw new TranscodeException(violations);
        }

        LibraryCheck.EnsureSupported();
        var inputPath = PathGuard.ResolveInput(spec.InputPath, policy);
        var outputPath = PathGuard.ResolveOutput(spec.OutputPath, policy);
        if (inputPath == outputPath)
        {
            throw TranscodeException.Invalid("output", "is the same file as the input");
        }

        var transientCheckpoints = spec.Container == OutputContainer.Hls && string.IsNullOrEmpty(spec.Checkpoints?.Directory);
        if (transientCheckpoints)
        {
            // HLS segments are made from chunks: without a checkpoint directory, they live beside the output for this run only.
            var directory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(spec.OutputPath))!, $".{Path.GetFileName(spec.OutputPath)}.chunks-{Guid.NewGuid():N}");
            spec = spec with { Checkpoints = (spec.Checkpoints ?? new CheckpointOptions { Directory = "", Session = "hls" }) with { Directory = directory } };
        }

        if (spec.Checkpoints is { } requested)
        {
            spec = spec with { Checkpoints = requested with { Directory = PathGuard.ResolveCheckpoints(requested.Directory, policy) } };
        }

        var videoEncoder = spec.Video is { Codec: not VideoCodec.Copy } v ? RequireEncoder(v.HardwareEncoder ?? CodecNames.Encoder(v.Codec), "video") : null;
        var audioEncoder = spec.Audio is { Codec: not AudioCodec.Copy } a ? RequireEncoder(CodecNames.Encoder(a.Codec), "audio") : null;
        var formatName = FormatDetector.Detect(inputPath, policy);

        using var interrupt = new InterruptGuard(spec.Deadline, time, cancellationToken);
        var temporaryPath = Path.Combine(Path.GetDirectoryName(outputPath)!, $".{Path.GetFileName(outputPath)}.{Guid.NewGuid():N}.partial");
        try
        {
            if (spec.Checkpoints is null)
            {
                adjustments.Start(spec.Video, checkpointed: false, initial: null);
            }

            var result = spec.Checkpoints is null
                ? Transcode(spec, policy, inputPath, formatName, temporaryPath, videoEncoder, audioEncoder, interrupt, progress)
                : ChunkedTranscode.Run(spec, policy, inputPath, formatName, temporaryPath, videoEncoder, audioEncoder, interrupt, duration => Meter(progress, duration), adjustments);
            File.Move(temporaryPath, outputPath, overwrite: true);
            if (spec.Checkpoints is { KeepChunks: false } checkpoints)
            {
                CheckpointStore.Remove(checkpoints.Directory);
            }

            return result with { OutputPath = outputPath };
        }
        catch (Exception e) when (FailureMapping.Map(e, interrupt) is { } failure)
        {
            throw failure;
        }
        finally
        {
            File.Delete(temporaryPath);
            if (transientCheckpoints && Directory.Exists(spec.Checkpoints!.Directory))
            {
                CheckpointStore.Remove(spec.Checkpoints.Directory);
            }
        }
    }

    /// <summary>
    /// Opens the input under the same rules as <see cref="Run"/> and says what it holds and what
    /// the spec makes of its video, without decoding a frame: cheap enough to ask before a session
    /// is given memory. A picture above the decoder's pixel cap is refused here already.
    /// </summary>
    public InputProbe Probe(TranscodeSpec spec, InputPolicy policy, CancellationToken cancellationToken)
    {
        LibraryCheck.EnsureSupported();
        var inputPath = PathGuard.ResolveInput(spec.InputPath, policy);
        var formatName = FormatDetector.Detect(inputPath, policy);
        using var interrupt = new InterruptGuard(spec.Deadline, time, cancellationToken);
        try
        {
            using var input = MediaInput.Open(inputPath, formatName, policy.Limits, interrupt);
            var stream = spec.Video is null ? null : input.BestStream(MediaKind.Video) is { IsAttachedPicture: false, Width: > 0, Height: > 0 } s ? s : null;
            if (stream is null)
            {
                return new InputProbe(null, "", null, input.Duration);
            }

            if ((long)stream.Width * stream.Height > policy.Limits.MaxPixels)
            {
                throw new TranscodeException(
                    ErrorReason.INPUT_LIMIT_EXCEEDED, $"the {stream.CodecName} video is {stream.Width}x{stream.Height}, above the decoder's cap of {policy.Limits.MaxPixels} pixels");
            }

            var rate = stream.FrameRate.IsValid ? stream.FrameRate : VideoPlanner.FallbackFrameRate;
            var (width, height) = ScaledSize.Of(stream.Width, stream.Height, spec.Video!.Width, spec.Video.Height);
            return new InputProbe(
                new VideoFormat(stream.Width, stream.Height, rate),
                stream.CodecName,
                new VideoFormat(width, height, spec.Video.FrameRate ?? rate),
                input.Duration);
        }
        catch (Exception e) when (FailureMapping.Map(e, interrupt) is { } failure)
        {
            throw failure;
        }
    }

    private TranscodeResult Transcode(
        TranscodeSpec spec,
        InputPolicy policy,
        string inputPath,
        string formatName,
        string temporaryPath,
        CodecInfo? videoEncoder,
        CodecInfo? audioEncoder,
        InterruptGuard interrupt,
        IProgress<TranscodeProgress>? progress)
    {
        using var input = MediaInput.Open(inputPath, formatName, policy.Limits, interrupt);
        var videoStream = spec.Video is null ? null : input.BestStream(MediaKind.Video) is { IsAttachedPicture: false } s ? s : null;
        var audioStream = spec.Audio is null ? null : input.BestStream(MediaKind.Audio);
        if (videoStream is null && audioStream is null)
        {
            throw new TranscodeException(ErrorReason.INPUT_UNSUPPORTED, $"the input ({input.FormatName}) has no {Wanted(spec)} stream to transcode");
        }

        var meter = Meter(progress, input.Duration);
        using var output = MediaOutput.Create(temporaryPath, ContainerRules.MuxerName(spec.Container), interrupt);
        var pipelines = new IStreamPipeline?[input.Streams.Count];
        try
        {
            if (videoStream is not null)
            {
                pipelines[videoStream.Index] = CreatePipeline(input, videoStream, spec, videoEncoder, output, meter, policy.Limits);
            }

            if (audioStream is not null)
            {
                pipelines[audioStream.Index] = CreatePipeline(input, audioStream, spec, audioEncoder, output, meter, policy.Limits);
            }

            output.Open(ContainerRules.MuxerOptions(spec.Container));
            var active = pipelines.OfType<IStreamPipeline>().ToList();
            active.ForEach(p => p.Start());
            Pump(input, pipelines, interrupt, meter);
            active.ForEach(p => p.Flush());
            output.Finish();
            var skipped = active.OfType<EncodingPipeline>().Sum(p => p.SkippedPackets);
            if (meter.OutputTime == TimeSpan.Zero && meter.Frames == 0)
            {
                throw new TranscodeException(ErrorReason.INPUT_CORRUPT, $"nothing could be decoded from the input ({skipped} packets rejected)");
            }

            return new TranscodeResult(temporaryPath, input.FormatName, meter.Snapshot(), [.. active.Select(p => p.Description)], skipped);
        }
        finally
        {
            foreach (var pipeline in pipelines)
            {
                pipeline?.Dispose();
            }
        }
    }

    private ProgressMeter Meter(IProgress<TranscodeProgress>? progress, TimeSpan? inputDuration) => new(time, inputDuration, progress, ProgressInterval);

    private static void Pump(MediaInput input, IStreamPipeline?[] pipelines, InterruptGuard interrupt, ProgressMeter meter)
    {
        using var packet = new Packet();
        while (input.TryReadPacket(packet))
        {
            if (interrupt.IsInterrupted)
            {
                throw FailureMapping.Interrupted(interrupt, null);
            }

            var index = packet.StreamIndex;
            if (index < pipelines.Length && pipelines[index] is { } pipeline)
            {
                pipeline.Process(packet);
                meter.Tick();
            }

            packet.Unref();
        }
    }

    private static IStreamPipeline CreatePipeline(
        MediaInput input, MediaStreamInfo stream, TranscodeSpec spec, CodecInfo? encoder, MediaOutput output, ProgressMeter meter, DecoderLimits limits)
    {
        if (encoder is null)
        {
            var muxer = ContainerRules.MuxerName(spec.Container);
            if (!ContainerSupport.CanStore(muxer, stream.CodecId))
            {
                var field = stream.Kind == MediaKind.Video ? "video.codec" : "audio.codec";
                throw TranscodeException.Invalid(field, $"copy: the input's {stream.CodecName} cannot be stored in {ContainerRules.Name(spec.Container)}; transcode it instead");
            }

            return new CopyPipeline(input, stream, output, meter);
        }

        var plan = stream.Kind == MediaKind.Video
            ? VideoPlanner.Plan(input, stream, spec.Video!, encoder, output.RequiresGlobalHeader, limits)
            : AudioPlanner.Plan(input, stream, spec.Audio!, encoder, output.RequiresGlobalHeader, limits);
        if (stream.Kind == MediaKind.Video)
        {
            meter.Video = new VideoFormat(plan.Settings.Width, plan.Settings.Height, plan.Settings.FrameRate);
        }

        return new EncodingPipeline(input, plan, output, meter);
    }

    private static CodecInfo RequireEncoder(string name, string kind) =>
        CodecCatalog.FindEncoder(name)
        ?? throw new TranscodeException(ErrorReason.ENCODER_UNAVAILABLE, $"the {kind} encoder {name} is unavailable in this FFmpeg build");

    private static string Wanted(TranscodeSpec spec) =>
        (spec.Video, spec.Audio) switch
        {
            (not null, not null) => "audio or video",
            (not null, null) => "video",
            _ => "audio",
        };
}
