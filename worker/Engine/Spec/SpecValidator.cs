namespace Sandbox.Worker.Engine;

/// <summary>
/// Checks a spec before any file is touched, collecting every violation (not just the first) so a
/// client can fix them all at once.
/// </summary>
public static class SpecValidator
{
    public const int MaxDimension = 16384;
    public const int MaxFrameRate = 240;
    public const int MaxGop = 10_000;
    public const int MaxThreads = 64;

    private static readonly string[] X26xPresets =
        ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"];

    public static IReadOnlyList<FieldViolation> Validate(TranscodeSpec spec)
    {
        var violations = new List<FieldViolation>();
        void Add(string field, string description) => violations.Add(new FieldViolation(field, description));

        if (string.IsNullOrWhiteSpace(spec.InputPath))
        {
            Add("input", "is required");
        }

        if (string.IsNullOrWhiteSpace(spec.OutputPath))
        {
            Add("output", "is required");
        }

        if (spec.Video is null && spec.Audio is null)
        {
            Add("video", "video and audio are both dropped: keep at least one");
        }

        if (spec.Deadline is { } deadline && deadline <= TimeSpan.Zero)
        {
            Add("deadline", "must be positive");
        }

        if (spec.Checkpoints is { } checkpoints)
        {
            ValidateCheckpoints(spec, checkpoints, Add);
        }
        else if (spec.Container == OutputContainer.Hls && (spec.Video?.Codec == VideoCodec.Copy || spec.Audio?.Codec == AudioCodec.Copy))
        {
            Add("output.container", "hls segments are cut from re-encoded chunks: a stream copy cannot be segmented here");
        }

        if (spec.Adjustment is { } adjustment)
        {
            if (spec.Checkpoints is null)
            {
                Add("adjustment", "applies at chunk boundaries: it needs checkpoints");
            }
            else if (spec.Video is { Codec: not VideoCodec.Copy } adjusted && AdjustmentRules.Refusal(adjusted, adjustment) is { } refusal)
            {
                Add("adjustment", refusal);
            }
        }

        if (spec.Video is { } video)
        {
            ValidateVideo(spec.Container, video, Add);
        }

        if (spec.Audio is { } audio)
        {
            ValidateAudio(spec.Container, audio, Add);
        }

        return violations;
    }

    private static void ValidateCheckpoints(TranscodeSpec spec, CheckpointOptions checkpoints, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(checkpoints.Directory) && spec.Container != OutputContainer.Hls)
        {
            add("checkpoints.directory", "is required (only an hls output makes its chunks in a directory of its own)");
        }

        if (string.IsNullOrWhiteSpace(checkpoints.Session))
        {
            add("checkpoints.session", "is required");
        }

        if (checkpoints.ChunkLength < CheckpointOptions.MinChunkLength || checkpoints.ChunkLength > CheckpointOptions.MaxChunkLength)
        {
            add("checkpoints.chunk_length", $"must be between {CheckpointOptions.MinChunkLength.TotalSeconds} s and {CheckpointOptions.MaxChunkLength.TotalMinutes} min");
        }

        if (spec.Video?.Codec == VideoCodec.Copy || spec.Audio?.Codec == AudioCodec.Copy)
        {
            add("checkpoints", "a stream copy cannot be cut into independent chunks; checkpoints need every kept stream re-encoded");
        }
    }

    private static void ValidateVideo(OutputContainer container, VideoSettings video, Action<string, string> add)
    {
        var allowed = ContainerRules.VideoCodecs(container);
        if (video.Codec != VideoCodec.Copy && !allowed.Contains(video.Codec))
        {
            add("video.codec", $"{CodecNames.Name(video.Codec)} cannot be stored in {ContainerRules.Name(container)}; use one of {string.Join(", ", allowed.Select(CodecNames.Name))}");
        }

        if (video.Codec == VideoCodec.Copy)
        {
            if (video.BitRate is not null || video.Crf is not null || video.Width is not null || video.Height is not null
                || video.FrameRate is not null || video.Gop is not null || video.Preset is not null)
            {
                add("video.codec", "copy passes the stream through unchanged: bitrate, crf, size, fps, gop and preset cannot be set with it");
            }

            return;
        }

        if (video.BitRate is { } bitRate && bitRate is < 1_000 or > 500_000_000)
        {
            add("video.bitrate", $"{bitRate} b/s is out of range (1k–500M)");
        }

        if (video.Crf is { } crf)
        {
            var max = video.Codec is VideoCodec.H264 or VideoCodec.Hevc ? 51 : 63;
            if (crf < 0 || crf > max)
            {
                add("video.crf", $"{crf} is out of range for {CodecNames.Name(video.Codec)} (0–{max})");
            }

            if (video.BitRate is not null)
            {
                add("video.crf", "set either crf (constant quality) or bitrate, not both");
            }
        }

        ValidateDimension("video.width", video.Width, add);
        ValidateDimension("video.height", video.Height, add);
        if (video.Width == 0 && video.Height == 0)
        {
            add("video.width", "width and height cannot both be 0 (0 derives one from the other)");
        }

        if (video.FrameRate is { } rate && (!rate.IsValid || rate.ToDouble() > MaxFrameRate))
        {
            add("video.fps", $"{rate} is out of range (more than 0, at most {MaxFrameRate})");
        }

        if (video.Gop is { } gop && gop is < 1 or > MaxGop)
        {
            add("video.gop", $"{gop} is out of range (1–{MaxGop} frames)");
        }

        if (video.Threads is < 0 or > MaxThreads)
        {
            add("video.threads", $"{video.Threads} is out of range (0 = auto, at most {MaxThreads})");
        }

        if (video.Preset is { } preset && PresetProblem(video.Codec, preset) is { } problem)
        {
            add("video.preset", problem);
        }
    }

    private static void ValidateDimension(string field, int? value, Action<string, string> add)
    {
        if (value is { } v && v != 0 && (v < 16 || v > MaxDimension || v % 2 != 0))
        {
            add(field, $"{v} is not allowed: use 0 (keep aspect ratio) or an even number from 16 to {MaxDimension}");
        }
    }

    private static string? PresetProblem(VideoCodec codec, string preset) => codec switch
    {
        VideoCodec.H264 or VideoCodec.Hevc when !X26xPresets.Contains(preset) =>
            $"'{preset}' is not an x264/x265 preset ({string.Join(", ", X26xPresets)})",
        VideoCodec.Av1 when !int.TryParse(preset, out var p) || p is < 0 or > 13 =>
            $"'{preset}' is not an SVT-AV1 preset (0–13, lower is slower and better)",
        VideoCodec.Vp9 when !int.TryParse(preset, out var p) || p is < 0 or > 8 =>
            $"'{preset}' is not a VP9 cpu-used level (0–8, lower is slower and better)",
        _ => null,
    };

    private static void ValidateAudio(OutputContainer container, AudioSettings audio, Action<string, string> add)
    {
        var allowed = ContainerRules.AudioCodecs(container);
        if (audio.Codec != AudioCodec.Copy && !allowed.Contains(audio.Codec))
        {
            add("audio.codec", $"{CodecNames.Name(audio.Codec)} cannot be stored in {ContainerRules.Name(container)}; use one of {string.Join(", ", allowed.Select(CodecNames.Name))}");
        }

        if (audio.Codec == AudioCodec.Copy)
        {
            if (audio.BitRate is not null || audio.Channels is not null || audio.SampleRate is not null)
            {
                add("audio.codec", "copy passes the stream through unchanged: bitrate, channels and sample rate cannot be set with it");
            }

            return;
        }

        if (audio.BitRate is { } bitRate && bitRate is < 6_000 or > 1_000_000)
        {
            add("audio.bitrate", $"{bitRate} b/s is out of range (6k–1M)");
        }

        if (audio.Channels is { } channels && channels is < 1 or > 8)
        {
            add("audio.channels", $"{channels} is out of range (1–8)");
        }

        if (audio.SampleRate is { } rate && rate is < 8_000 or > 192_000)
        {
            add("audio.sample_rate", $"{rate} Hz is out of range (8000–192000)");
        }
    }
}
