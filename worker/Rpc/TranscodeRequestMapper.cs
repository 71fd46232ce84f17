using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;
using AudioCodec = Sandbox.Worker.Engine.AudioCodec;
using AudioCodecProto = Sandbox.Api.V1.AudioCodec;
using AudioSettings = Sandbox.Worker.Engine.AudioSettings;
using InputPolicy = Sandbox.Worker.Engine.InputPolicy;
using Rational = Sandbox.Worker.Interop.Rational;
using VideoCodec = Sandbox.Worker.Engine.VideoCodec;
using VideoCodecProto = Sandbox.Api.V1.VideoCodec;
using VideoSettings = Sandbox.Worker.Engine.VideoSettings;

namespace Sandbox.Worker.Rpc;

/// <summary>Turns the wire request into the engine's spec and policy (and engine failures back into wire ones).</summary>
public static class TranscodeRequestMapper
{
    public static (TranscodeSpec Spec, InputPolicy Policy) ToEngine(TranscodeRequest request)
    {
        var container = request.Container switch
        {
            Container.Mp4 => OutputContainer.Mp4,
            Container.Webm => OutputContainer.WebM,
            Container.Mkv => OutputContainer.Matroska,
            Container.Mpegts => OutputContainer.MpegTs,
            Container.Hls => OutputContainer.Hls,
            _ => ContainerRules.FromExtension(request.OutputPath)
                ?? throw TranscodeException.Invalid("output.container", "is unset and the output path's extension names no container"),
        };
        var spec = new TranscodeSpec
        {
            InputPath = request.InputPath,
            OutputPath = request.OutputPath,
            Container = container,
            Video = request.Video is { Drop: true } ? null : Video(request.Video ?? new(), container) with
            {
                HardwareEncoder = request.HardwareEncoder.Length > 0 ? request.HardwareEncoder : null,
            },
            Audio = request.Audio is { Drop: true } ? null : Audio(request.Audio ?? new(), container),
            Deadline = request.Deadline?.ToTimeSpan(),
            Checkpoints = request.Checkpoints is { } checkpoints ? new CheckpointOptions
            {
                Directory = checkpoints.Directory,
                Session = checkpoints.Session,
                ChunkLength = checkpoints.ChunkLength?.ToTimeSpan() ?? CheckpointOptions.DefaultChunkLength,
                KeepChunks = checkpoints.Keep,
            } : null,
            Adjustment = request.Adjustment is { } adjustment ? ToEngine(adjustment) : null,
        };
        var wire = request.Policy ?? new Api.Worker.V1.InputPolicy();
        var policy = InputPolicy.Default with
        {
            InputRoots = [.. wire.InputRoots],
            OutputRoots = [.. wire.OutputRoots],
            AllowedFormats = wire.AllowedFormats.Count > 0 ? [.. wire.AllowedFormats] : InputPolicy.DefaultFormats,
            Limits = new DecoderLimits(
                wire.MaxPixels > 0 ? wire.MaxPixels : DecoderLimits.Default.MaxPixels,
                wire.MaxSamples > 0 ? wire.MaxSamples : DecoderLimits.Default.MaxSamples),
        };
        return (spec, policy);
    }

    /// <summary>The engine's form of a wire adjustment.</summary>
    public static VideoAdjustment ToEngine(Api.V1.Adjustment adjustment) => new()
    {
        MaxFrameRate = adjustment.MaxFps is { } fps ? new Rational(fps.Numerator, fps.Denominator) : null,
        MaxHeight = adjustment.HasMaxHeight ? adjustment.MaxHeight : null,
        Preset = adjustment.Preset is { Length: > 0 } preset ? preset : null,
        Threads = adjustment.HasThreads ? adjustment.Threads : null,
        Lookahead = adjustment.HasLookahead ? adjustment.Lookahead : null,
        Codec = adjustment.Codec switch
        {
            VideoCodecProto.H264 => VideoCodec.H264,
            VideoCodecProto.Hevc => VideoCodec.Hevc,
            VideoCodecProto.Vp9 => VideoCodec.Vp9,
            VideoCodecProto.Av1 => VideoCodec.Av1,
            VideoCodecProto.Copy => VideoCodec.Copy,
            _ => null,
        },
    };

    /// <summary>The engine's spec as wire settings (for clients that parse the worker's command-line syntax).</summary>
    public static TranscodeRequest FromEngine(TranscodeSpec spec)
    {
        var request = new TranscodeRequest
        {
            InputPath = spec.InputPath,
            OutputPath = spec.OutputPath,
            Container = spec.Container switch
            {
                OutputContainer.WebM => Container.Webm,
                OutputContainer.Matroska => Container.Mkv,
                OutputContainer.MpegTs => Container.Mpegts,
                OutputContainer.Hls => Container.Hls,
                _ => Container.Mp4,
            },
            Video = new Api.V1.VideoSettings { Drop = spec.Video is null },
            Audio = new Api.V1.AudioSettings { Drop = spec.Audio is null },
            Deadline = spec.Deadline is { } deadline ? Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(deadline) : null,
        };
        if (spec.Video is { } video)
        {
            request.Video.Codec = video.Codec switch
            {
                VideoCodec.Hevc => VideoCodecProto.Hevc,
                VideoCodec.Vp9 => VideoCodecProto.Vp9,
                VideoCodec.Av1 => VideoCodecProto.Av1,
                VideoCodec.Copy => VideoCodecProto.Copy,
                _ => VideoCodecProto.H264,
            };
            if (video.BitRate is { } bitRate) request.Video.Bitrate = bitRate;
            if (video.Crf is { } crf) request.Video.Crf = crf;
            if (video.Width is { } width) request.Video.Width = width;
            if (video.Height is { } height) request.Video.Height = height;
            if (video.FrameRate is { } fps) request.Video.Fps = new Api.V1.Rational { Numerator = fps.Numerator, Denominator = fps.Denominator };
            if (video.Gop is { } gop) request.Video.Gop = gop;
            request.Video.Preset = video.Preset ?? "";
            request.Video.Threads = video.Threads;
        }

        if (spec.Audio is { } audio)
        {
            request.Audio.Codec = audio.Codec switch
            {
                AudioCodec.Opus => AudioCodecProto.Opus,
                AudioCodec.Copy => AudioCodecProto.Copy,
                _ => AudioCodecProto.Aac,
            };
            if (audio.BitRate is { } bitRate) request.Audio.Bitrate = bitRate;
            if (audio.Channels is { } channels) request.Audio.Channels = channels;
            if (audio.SampleRate is { } sampleRate) request.Audio.SampleRate = sampleRate;
        }

        return request;
    }

    public static Api.V1.Progress ToWire(TranscodeProgress progress) => new()
    {
        Frames = progress.Frames,
        OutputTime = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(progress.OutputTime),
        Percent = progress.Percent ?? 0,
        Fps = progress.FramesPerSecond,
        Speed = progress.Speed,
        Checkpoints = progress.Checkpoints is { } checkpoints ? new Checkpoints
        {
            Count = checkpoints.Chunks,
            DurableTime = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(checkpoints.DurableTime),
            ResumedFrom = checkpoints.ResumedFrom is { } resumed ? Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(resumed) : null,
            Repaired = checkpoints.Repaired ?? "",
            StartToFirstFrame = checkpoints.StartToFirstFrame is { } first ? Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(first) : null,
        } : null,
        Video = progress.Video is { } video ? ToWire(video) : null,
    };

    public static ProbeResult ToWire(InputProbe probe) => new()
    {
        Input = probe.Input is { } input ? ToWire(input) : null,
        InputCodec = probe.InputCodec,
        Output = probe.Output is { } output ? ToWire(output) : null,
        Duration = probe.Duration is { } duration ? Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(duration) : null,
    };

    private static Api.V1.VideoFormat ToWire(Engine.VideoFormat video) => new()
    {
        Width = video.Width,
        Height = video.Height,
        FrameRate = new Api.V1.Rational { Numerator = video.FrameRate.Numerator, Denominator = video.FrameRate.Denominator },
    };

    public static Failed ToWire(TranscodeException error)
    {
        var failed = new Failed
        {
            Failure = new Failure { Reason = ErrorReasonNames.Parse(error.Reason.ToString()) ?? Api.V1.ErrorReason.Internal, Message = error.Message },
        };
        failed.Violations.AddRange(error.Violations.Select(v => new Api.Worker.V1.FieldViolation { Field = v.Field, Description = v.Description }));
        return failed;
    }

    private static VideoSettings Video(Api.V1.VideoSettings video, OutputContainer container) => new()
    {
        Codec = video.Codec switch
        {
            VideoCodecProto.H264 => VideoCodec.H264,
            VideoCodecProto.Hevc => VideoCodec.Hevc,
            VideoCodecProto.Vp9 => VideoCodec.Vp9,
            VideoCodecProto.Av1 => VideoCodec.Av1,
            VideoCodecProto.Copy => VideoCodec.Copy,
            _ => ContainerRules.DefaultVideoCodec(container),
        },
        BitRate = video.HasBitrate ? video.Bitrate : null,
        Crf = video.HasCrf ? video.Crf : null,
        Width = video.HasWidth ? video.Width : null,
        Height = video.HasHeight ? video.Height : null,
        FrameRate = video.Fps is { } fps ? new Rational(fps.Numerator, fps.Denominator) : null,
        Gop = video.HasGop ? video.Gop : null,
        Preset = string.IsNullOrEmpty(video.Preset) ? null : video.Preset,
        Threads = video.Threads,
    };

    private static AudioSettings Audio(Api.V1.AudioSettings audio, OutputContainer container) => new()
    {
        Codec = audio.Codec switch
        {
            AudioCodecProto.Aac => AudioCodec.Aac,
            AudioCodecProto.Opus => AudioCodec.Opus,
            AudioCodecProto.Copy => AudioCodec.Copy,
            _ => ContainerRules.DefaultAudioCodec(container),
        },
        BitRate = audio.HasBitrate ? audio.Bitrate : null,
        Channels = audio.HasChannels ? audio.Channels : null,
        SampleRate = audio.HasSampleRate ? audio.SampleRate : null,
    };
}
