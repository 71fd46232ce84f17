using System.Diagnostics;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Engine;

/// <summary>
/// A checkpointed transcode: decode → filter once, encode into a sequence of chunks (see
/// <see cref="ChunkGrid"/> for where they are cut and <see cref="ChunkWriter"/> for one chunk), record
/// each durable chunk in the manifest, and finally assemble the output from the chunks by stream
/// copy. Started on a directory that already holds chunks, it seeks the input to just before the end
/// of the last durable one and continues, so a crash costs at most the chunk being written.
/// </summary>
internal sealed class ChunkedTranscode : IDisposable
{
    /// <summary>How far before the resume point decoding restarts, so filters and decoders settle before the first kept frame.</summary>
    private static readonly TimeSpan ResumeLeadIn = TimeSpan.FromSeconds(1);

    private readonly TranscodeSpec _spec;
    private readonly CheckpointOptions _options;
    private readonly ProgressMeter _meter;
    private readonly InterruptGuard _interrupt;
    private readonly SortedDictionary<int, ChunkWriter> _open = [];
    private readonly string _settings;
    private readonly InputIdentity _input;
    private readonly Action<Frame> _onVideo;
    private readonly Action<Frame> _onAudio;
    private CheckpointManifest? _manifest;
    private bool _fresh;
    private FilteredStream? _video;
    private FilteredStream? _audio;
    private EncoderSettings? _videoSettings;
    private EncoderSettings? _audioSettings;
    private AudioTimeline? _audioTimeline;
    private VideoTimeline? _videoTimeline;
    private ChunkGrid? _grid;
    private int _nextChunk;
    private int _audioChunk;
    private long _resumeVideoFrame;
    private long _resumeAudioFrame;

    private readonly AdjustmentChannel _adjustments;
    private readonly Dictionary<int, ChunkVideo> _videoPlans = [];
    private ChunkVideoEncoder? _videoEncoder;

    private ChunkedTranscode(TranscodeSpec spec, ProgressMeter meter, InterruptGuard interrupt, string inputPath, AdjustmentChannel adjustments)
    {
        _adjustments = adjustments;
        _spec = spec;
        _options = spec.Checkpoints!;
        _meter = meter;
        _interrupt = interrupt;
        _settings = InputFingerprint.Settings(spec);
        _input = InputFingerprint.Of(inputPath);
        _onVideo = OnVideoFrame;
        _onAudio = OnAudioFrame;
    }

    /// <summary>Runs (or continues) the chunked transcode and assembles the output into <paramref name="temporaryPath"/>.</summary>
    public static TranscodeResult Run(
        TranscodeSpec spec, InputPolicy policy, string inputPath, string formatName, string temporaryPath,
        CodecInfo? videoEncoder, CodecInfo? audioEncoder, InterruptGuard interrupt, Func<TimeSpan?, ProgressMeter> meterFor, AdjustmentChannel adjustments)
    {
        using var input = EngineTrace.Traced("worker.open_input", () => MediaInput.Open(inputPath, formatName, policy.Limits, interrupt));
        var meter = meterFor(input.Duration);
        using var run = new ChunkedTranscode(spec, meter, interrupt, inputPath, adjustments);
        run._manifest = CheckpointStore.Open(run._options, run._settings, spec.Container, run._input, out var repairs);
        run._repairs = repairs;
        run._fresh = run._manifest is null;
        var descriptions = run.Plan(input, videoEncoder, audioEncoder, policy.Limits);
        if (run._manifest is not { Complete: true })
        {
            using var encode = EngineTrace.Phase("worker.encode");
            encode?.SetTag("chunks.resumed", run._nextChunk);
            run.Pump(input);
        }

        var manifest = run._manifest ?? throw new TranscodeException(ErrorReason.INPUT_CORRUPT, "nothing could be decoded from the input");
        IReadOnlyList<string> segments = [];
        using var assemble = EngineTrace.Phase("worker.assemble");
        assemble?.SetTag("chunks", manifest.Chunks.Count);
        if (spec.Container == OutputContainer.Hls)
        {
            segments = ChunkAssembler.AssembleHls(manifest, run._options.Directory, temporaryPath, spec.OutputPath, policy.Limits, interrupt, meter.Tick);
        }
        else
        {
            ChunkAssembler.Assemble(manifest, run._options.Directory, temporaryPath, spec.Container, policy.Limits, interrupt, meter.Tick);
        }

        meter.Checkpoints = meter.Checkpoints! with { Chunks = manifest.Chunks.Count, DurableTime = manifest.DurableTime };
        return new TranscodeResult(temporaryPath, input.FormatName, meter.Snapshot(), descriptions, run.SkippedPackets) { Segments = segments };
    }

    private long SkippedPackets => (_video?.SkippedPackets ?? 0) + (_audio?.SkippedPackets ?? 0);

    public void Dispose()
    {
        foreach (var writer in _open.Values)
        {
            writer.Dispose();
        }

        _videoEncoder?.Dispose();
        _video?.Dispose();
        _audio?.Dispose();
    }

    /// <summary>Opens decoders and filters, fixes the timeline (the manifest's, when resuming) and seeks to the resume point.</summary>
    private List<string> Plan(MediaInput input, CodecInfo? videoEncoder, CodecInfo? audioEncoder, DecoderLimits limits)
    {
        var videoStream = _spec.Video is null ? null : input.BestStream(MediaKind.Video) is { IsAttachedPicture: false } s ? s : null;
        var audioStream = _spec.Audio is null ? null : input.BestStream(MediaKind.Audio);
        if (videoStream is null && audioStream is null)
        {
            throw new TranscodeException(ErrorReason.INPUT_UNSUPPORTED, $"the input ({input.FormatName}) has no stream to transcode");
        }

        var chunks = _manifest?.Chunks ?? [];
        _nextChunk = chunks.Count;
        var descriptions = new List<string>();
        if (videoStream is not null)
        {
            var plan = VideoPlanner.Plan(input, videoStream, _spec.Video!, videoEncoder!, globalHeader: true, limits, inBandHeaders: true);
            plan.Encoder.Dispose();
            _video = new FilteredStream(input, plan.Decoder, plan.Graph);
            _videoEncoder = new ChunkVideoEncoder();
            _videoSettings = plan.Settings;
            _meter.Video = new VideoFormat(plan.Settings.Width, plan.Settings.Height, plan.Settings.FrameRate);
            var timeBase = plan.Settings.TimeBase;
            _videoTimeline = new VideoTimeline(timeBase.ToString(), ChunkGrid.FramesPerChunk(_options.ChunkLength, timeBase));
            descriptions.Add(plan.Description);
        }

        _adjustments.Start(videoStream is null ? null : _spec.Video, checkpointed: true, _spec.Adjustment);
        var resumeGrid = _manifest is null ? null : new ChunkGrid(_manifest.ChunkLength, _manifest.Video, _manifest.Audio);
        if (audioStream is not null)
        {
            long? startSample = null;
            if (resumeGrid is not null && _manifest!.Audio is not null && _nextChunk > 0)
            {
                startSample = resumeGrid.AudioFrameStart(resumeGrid.AudioFirstFedFrame(_nextChunk));
            }

            var plan = AudioPlanner.Plan(input, audioStream, _spec.Audio!, audioEncoder!, globalHeader: true, limits, countSamples: true, startSample);
            _audioSettings = plan.Settings;
            var frameSize = plan.Encoder.FrameSize;
            var padding = plan.Encoder.InitialPadding;
            plan.Encoder.Dispose();
            _audio = new FilteredStream(input, plan.Decoder, plan.Graph);
            _audioTimeline = new AudioTimeline(plan.Settings.SampleRate, frameSize, padding, Origin: _manifest?.Audio?.Origin ?? 0);
            descriptions.Add(plan.Description);
        }

        if (_manifest is not null)
        {
            if (_manifest.Video != _videoTimeline || _manifest.Audio != _audioTimeline)
            {
                throw new TranscodeException(
                    ErrorReason.CHECKPOINT_INVALID,
                    "the checkpoint manifest cannot be used: the input's streams no longer produce the timeline it was cut with");
            }

            _grid = resumeGrid;
            _resumeVideoFrame = _videoTimeline is null ? 0 : _grid!.VideoFirstFrame(_nextChunk);
            _resumeAudioFrame = _audioTimeline is null ? 0 : _grid!.AudioFirstFedFrame(_nextChunk);
            _audioChunk = _nextChunk;
            var resumedFrom = _manifest.DurableTime;
            _meter.Resume(chunks.Sum(c => c.Video?.Units ?? 0), resumedFrom);
            _meter.Checkpoints = new CheckpointProgress(chunks.Count, resumedFrom, _nextChunk > 0 ? resumedFrom : null, _repairs);
            if (_nextChunk > 0 && !_manifest.Complete)
            {
                var audioStart = _audioTimeline is null ? resumedFrom : new Rational(1, _audioTimeline.SampleRate).ToTimeSpan(_grid!.AudioFrameStart(_resumeAudioFrame));
                var target = TimeSpan.FromTicks(Math.Min(_grid!.Start(_nextChunk).Ticks, audioStart.Ticks)) - ResumeLeadIn;
                input.SeekBefore(target < TimeSpan.Zero ? TimeSpan.Zero : target);
            }
        }
        else
        {
            _meter.Checkpoints = new CheckpointProgress(0, TimeSpan.Zero, null, _repairs);
        }

        return descriptions;
    }

    private void Pump(MediaInput input)
    {
        using var packet = new Packet();
        var videoIndex = _video?.Stream.Index ?? -1;
        var audioIndex = _audio?.Stream.Index ?? -1;
        while (input.TryReadPacket(packet))
        {
            if (_interrupt.IsInterrupted)
            {
                throw FailureMapping.Interrupted(_interrupt, null);
            }

            var index = packet.StreamIndex;
            if (index == videoIndex)
            {
                _video!.Process(packet, _onVideo);
            }
            else if (index == audioIndex)
            {
                _audio!.Process(packet, _onAudio);
            }

            packet.Unref();
            _meter.Tick();
        }

        _video?.Flush(_onVideo);
        _audio?.Flush(_onAudio);
        _videoEncoder?.Finish();
        var last = _open.Count == 0 ? -1 : _open.Keys.Max();
        foreach (var writer in _open.Values)
        {
            writer.EndVideo();
            writer.EndAudio(last: writer.Index == last);
        }

        CompleteReadyChunks();
        if (_manifest is null)
        {
            return;
        }

        _manifest = _manifest with { Complete = true };
        CheckpointStore.Save(_options.Directory, _manifest);
    }

    private void OnVideoFrame(Frame frame)
    {
        if (frame.Pts is not { } n || n < _resumeVideoFrame)
        {
            return;
        }

        var chunk = Grid().VideoChunkOf(n);
        NoteFirstFrame();
        _videoEncoder!.Write(frame, Writer(chunk), _videoPlans[chunk]);
        CompleteReadyChunks();
    }

    /// <summary>Records how long after the process started this run encoded its first frame (for a resumed run, the resume latency).</summary>
    private void NoteFirstFrame()
    {
        if (_meter.Checkpoints is { StartToFirstFrame: null } checkpoints)
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            _meter.Checkpoints = checkpoints with { StartToFirstFrame = DateTime.Now - self.StartTime };
        }
    }

    private void OnAudioFrame(Frame frame)
    {
        if (frame.Pts is not { } pts)
        {
            return;
        }

        if (_fresh && _audioTimeline is { } timeline && !_sawAudio)
        {
            // A fresh run: the audio grid starts at the first sample the filters hand out.
            _audioTimeline = timeline with { Origin = pts };
            _grid = null;
        }

        _sawAudio = true;
        var grid = Grid();
        var j = grid.AudioFrameAt(pts);
        if (j < _resumeAudioFrame)
        {
            return;
        }

        while (grid.AudioFirstFedFrame(_audioChunk + 1) <= j)
        {
            _audioChunk++;
        }

        foreach (var writer in _open.Values.Where(w => w.Index < _audioChunk))
        {
            if (j <= grid.AudioFirstPacket(writer.Index + 1))
            {
                writer.WriteAudio(frame);
            }
            else
            {
                writer.EndAudio(last: false);
            }
        }

        if (_video is null)
        {
            NoteFirstFrame();
        }

        Writer(_audioChunk).WriteAudio(frame);
        CompleteReadyChunks();
    }

    private bool _sawAudio;
    private string? _repairs;

    private ChunkGrid Grid()
    {
        if (_grid is null)
        {
            _grid = new ChunkGrid(_options.ChunkLength, _videoTimeline, _audioTimeline);
        }

        return _grid;
    }

    private long AudioKeepFrom(int chunk) => _audioTimeline is null ? 0 : Grid().AudioPacketPts(Grid().AudioFirstPacket(chunk));

    private ChunkWriter Writer(int chunk)
    {
        if (_open.TryGetValue(chunk, out var writer))
        {
            return writer;
        }

        if (chunk < _nextChunk)
        {
            throw new InvalidOperationException($"chunk {chunk} is already durable");
        }

        var video = ChunkVideo(chunk);
        var settings = video is { Adjustment.IsEmpty: false } ? $"{_settings}+{InputFingerprint.Adjustment(video.Adjustment)}" : _settings;
        var source = video is null ? null : _videoEncoder!.SourceFor(video);
        writer = new ChunkWriter(
            chunk, _options.Directory, settings, source, video?.Adjustment, _audioSettings, (AudioKeepFrom(chunk), AudioKeepFrom(chunk + 1)), _meter, _interrupt);
        if (video is not null)
        {
            _videoPlans[chunk] = video;
        }

        _open.Add(chunk, writer);
        return writer;
    }

    /// <summary>The chunk's video under the adjustment in force when it starts.</summary>
    private ChunkVideo? ChunkVideo(int chunk)
    {
        if (_videoSettings is not { } settings)
        {
            return null;
        }

        var adjustment = _adjustments.ForChunk(chunk);
        var (width, height) = AdjustmentRules.ScaledSize(settings.Width, settings.Height, adjustment);
        var scale = (width, height) == (settings.Width, settings.Height)
            ? null
            : new ChunkScale(settings.Width, settings.Height, settings.PixelFormat, settings.TimeBase, settings.FrameRate, [new FilterSpec("scale", $"w={width}:h={height}:flags=bicubic")]);
        return new ChunkVideo(
            AdjustmentRules.Apply(settings, _spec.Video!.Codec, adjustment, width, height),
            AdjustmentRules.FrameStep(settings.FrameRate, adjustment),
            scale,
            adjustment);
    }

    /// <summary>Makes durable, in order, every chunk whose streams have all ended.</summary>
    private void CompleteReadyChunks()
    {
        while (_open.TryGetValue(_nextChunk, out var writer) && writer.VideoEnded && writer.AudioEnded)
        {
            _open.Remove(_nextChunk);
            _videoPlans.Remove(_nextChunk);
            ClosedChunk? closed;
            using (writer)
            {
                var videoTimeBase = _videoTimeline is null ? (Rational?)null : ParseTimeBase(_videoTimeline.TimeBase);
                closed = writer.Close(Grid(), videoTimeBase, _audioTimeline?.SampleRate ?? 1);
            }

            if (closed is not null)
            {
                MakeDurable(closed);
            }

            _nextChunk++;
        }
    }

    /// <summary>
    /// Flushes, renames and checksums a closed chunk and records it in the manifest (written
    /// atomically). Done here, on the encoding thread, so a chunk is in the manifest the moment it
    /// is complete and a crash loses at most the chunk being written; it costs a few milliseconds a chunk.
    /// </summary>
    private void MakeDurable(ClosedChunk closed)
    {
        try
        {
            var record = closed.MakeDurable();
            _manifest = (_manifest ?? NewManifest()) with { Chunks = [.. (_manifest?.Chunks ?? []), record] };
            CheckpointStore.Save(_options.Directory, _manifest);
            Activity.Current?.AddEvent(new ActivityEvent("chunk durable", tags: new ActivityTagsCollection { ["chunk"] = record.Index, ["durable_time"] = _manifest.DurableTime.ToString() }));
            _meter.Checkpoints = _meter.Checkpoints! with { Chunks = _manifest.Chunks.Count, DurableTime = _manifest.DurableTime };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TranscodeException(ErrorReason.OUTPUT_FAILED, $"a chunk could not be made durable in {_options.Directory}: {e.Message}", e);
        }
    }

    private CheckpointManifest NewManifest() => new()
    {
        Format = CheckpointManifest.FormatName,
        Version = CheckpointManifest.CurrentVersion,
        Session = _options.Session,
        Input = _input,
        Container = ContainerRules.Name(_spec.Container),
        Settings = _settings,
        ChunkLength = _options.ChunkLength,
        Video = _videoTimeline,
        Audio = _audioTimeline,
    };

    private static Rational ParseTimeBase(string text) =>
        Rational.TryParse(text, out var value) ? value : throw new InvalidOperationException($"invalid time base {text}");
}
