using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Cli;

/// <summary>
/// The parsed <c>transcode</c> command line. Parsing collects every problem as a field violation
/// (named like the spec's fields), so a bad command line fails the same way a bad spec does.
/// </summary>
public sealed record TranscodeCommand(TranscodeSpec Spec, InputPolicy Policy, bool Json, InjectedFault? Fault = null)
{
    public static TranscodeCommand Parse(IReadOnlyList<string> args)
    {
        var violations = new List<FieldViolation>();
        void Bad(string field, string description) => violations.Add(new FieldViolation(field, description));

        var positional = new List<string>();
        var options = new List<(string Name, string? Value)>();
        string[] flags = ["--no-video", "--no-audio", "--json", "--keep-chunks", "--allow-fault-injection"];
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                options.Add((arg[..equals], arg[(equals + 1)..]));
            }
            else if (flags.Contains(arg))
            {
                options.Add((arg, null));
            }
            else if (i + 1 < args.Count)
            {
                options.Add((arg, args[++i]));
            }
            else
            {
                Bad("arguments", $"{arg} needs a value");
            }
        }

        if (positional.Count != 2)
        {
            Bad("arguments", $"expected INPUT and OUTPUT, got {positional.Count} positional arguments");
        }

        var input = positional.ElementAtOrDefault(0) ?? "";
        var output = positional.ElementAtOrDefault(1) ?? "";
        var video = new VideoSettings();
        var audio = new AudioSettings();
        VideoCodec? videoCodec = null;
        AudioCodec? audioCodec = null;
        bool dropVideo = false, dropAudio = false, json = false;
        OutputContainer? container = null;
        TimeSpan? deadline = null;
        string? checkpointDirectory = null, session = null;
        TimeSpan? chunkLength = null;
        var keepChunks = false;
        var allowFaults = false;
        VideoAdjustment? adjustment = null;
        InjectedFault? fault = null;
        var policy = InputPolicy.Default;
        List<string> inputRoots = [], outputRoots = [], formats = [];

        foreach (var (name, value) in options)
        {
            var text = value ?? "";
            switch (name)
            {
                case "--json": json = true; break;
                case "--no-video": dropVideo = true; break;
                case "--no-audio": dropAudio = true; break;
                case "--container":
                    container = ContainerRules.Parse(text);
                    if (container is null)
                    {
                        Bad("container", $"'{text}' is not a container (mp4, webm, mkv, mpegts)");
                    }

                    break;
                case "--video":
                    ParseVideoShorthand(text, ref video, ref videoCodec, ref dropVideo, Bad);
                    break;
                case "--video-codec":
                    ParseVideoCodec(text, ref videoCodec, ref dropVideo, Bad);
                    break;
                case "--video-bitrate":
                    video = video with { BitRate = BitRate(text, "video.bitrate", Bad) };
                    break;
                case "--crf": video = video with { Crf = Integer(text, "video.crf", Bad) }; break;
                case "--size":
                    if (CommandLineValues.TryParseSize(text, out var w, out var h))
                    {
                        video = video with { Width = w, Height = h };
                    }
                    else
                    {
                        Bad("video.width", $"'{text}' is not a size like 1280x720");
                    }

                    break;
                case "--width": video = video with { Width = Integer(text, "video.width", Bad) }; break;
                case "--height": video = video with { Height = Integer(text, "video.height", Bad) }; break;
                case "--fps":
                    if (Rational.TryParse(text, out var rate))
                    {
                        video = video with { FrameRate = rate };
                    }
                    else
                    {
                        Bad("video.fps", $"'{text}' is not a frame rate like 30 or 30000/1001");
                    }

                    break;
                case "--gop": video = video with { Gop = Integer(text, "video.gop", Bad) }; break;
                case "--preset": video = video with { Preset = text }; break;
                case "--threads": video = video with { Threads = Integer(text, "video.threads", Bad) ?? 0 }; break;
                case "--hardware-encoder": video = video with { HardwareEncoder = text }; break;
                case "--audio":
                    ParseAudioShorthand(text, ref audio, ref audioCodec, ref dropAudio, Bad);
                    break;
                case "--audio-codec":
                    ParseAudioCodec(text, ref audioCodec, ref dropAudio, Bad);
                    break;
                case "--audio-bitrate": audio = audio with { BitRate = BitRate(text, "audio.bitrate", Bad) }; break;
                case "--channels": audio = audio with { Channels = Integer(text, "audio.channels", Bad) }; break;
                case "--sample-rate": audio = audio with { SampleRate = Integer(text, "audio.sample_rate", Bad) }; break;
                case "--input-root": inputRoots.Add(text); break;
                case "--output-root": outputRoots.Add(text); break;
                case "--allow-format": formats.Add(text); break;
                case "--max-pixels":
                    policy = policy with { Limits = policy.Limits with { MaxPixels = Positive(text, "max_pixels", Bad) ?? policy.Limits.MaxPixels } };
                    break;
                case "--max-samples":
                    policy = policy with { Limits = policy.Limits with { MaxSamples = Positive(text, "max_samples", Bad) ?? policy.Limits.MaxSamples } };
                    break;
                case "--deadline":
                    if (CommandLineValues.TryParseDuration(text, out var d))
                    {
                        deadline = d;
                    }
                    else
                    {
                        Bad("deadline", $"'{text}' is not a duration like 90s, 10m or 00:10:00");
                    }

                    break;
                case "--checkpoints": checkpointDirectory = text; break;
                case "--session": session = text; break;
                case "--keep-chunks": keepChunks = true; break;
                case "--allow-fault-injection": allowFaults = true; break;
                case "--adjust":
                    adjustment = CommandLineValues.TryParseAdjustment(text, out var parsed) ? parsed : null;
                    if (adjustment is null)
                    {
                        Bad("adjustment", $"'{text}' is not a list like fps=15,height=360,preset=veryfast,threads=2,lookahead=10");
                    }

                    break;
                case "--fault":
                    fault = InjectedFault.Parse(text);
                    if (fault is null)
                    {
                        Bad("fault", $"'{text}' is not kill@FRAMES or segv@FRAMES");
                    }

                    break;
                case "--chunk-length":
                    if (CommandLineValues.TryParseDuration(text, out var length))
                    {
                        chunkLength = length;
                    }
                    else
                    {
                        Bad("checkpoints.chunk_length", $"'{text}' is not a duration like 4s");
                    }

                    break;
                default:
                    Bad("arguments", $"unknown option {name} (see 'sandbox-worker --help')");
                    break;
            }
        }

        var resolvedContainer = container ?? ContainerRules.FromExtension(output);
        if (resolvedContainer is null && output.Length > 0)
        {
            Bad("container", $"cannot tell the container from '{Path.GetExtension(output)}': use --container mp4|webm|mkv|mpegts");
        }

        var chosen = resolvedContainer ?? OutputContainer.Mp4;
        var spec = new TranscodeSpec
        {
            InputPath = input,
            OutputPath = output,
            Container = chosen,
            Video = dropVideo ? null : video with { Codec = videoCodec ?? ContainerRules.DefaultVideoCodec(chosen) },
            Audio = dropAudio ? null : audio with { Codec = audioCodec ?? ContainerRules.DefaultAudioCodec(chosen) },
            Deadline = deadline,
            Checkpoints = checkpointDirectory is null && (chosen != OutputContainer.Hls || chunkLength is null) ? null : new CheckpointOptions
            {
                Directory = checkpointDirectory ?? "",
                Session = session ?? "cli",
                ChunkLength = chunkLength ?? CheckpointOptions.DefaultChunkLength,
                KeepChunks = keepChunks,
            },
            Adjustment = adjustment,
        };
        if (checkpointDirectory is null && (session is not null || keepChunks || (chunkLength is not null && chosen != OutputContainer.Hls)))
        {
            Bad("checkpoints", "--session, --chunk-length and --keep-chunks need --checkpoints DIR (an hls output takes --chunk-length alone: its segment length)");
        }
        policy = policy with
        {
            InputRoots = inputRoots,
            OutputRoots = outputRoots,
            AllowedFormats = formats.Count > 0 ? formats : policy.AllowedFormats,
        };

        if (fault is not null && !allowFaults)
        {
            Bad("fault", "fault injection is for tests: it needs --allow-fault-injection");
        }

        violations.AddRange(SpecValidator.Validate(spec));
        return violations.Count > 0 ? throw new TranscodeException(violations) : new TranscodeCommand(spec, policy, json, fault);
    }

    private static void ParseVideoShorthand(string text, ref VideoSettings video, ref VideoCodec? codec, ref bool drop, Action<string, string> bad)
    {
        var parts = text.Split(':');
        ParseVideoCodec(parts[0], ref codec, ref drop, bad);
        foreach (var part in parts.Skip(1))
        {
            if (part.Contains('x', StringComparison.OrdinalIgnoreCase) && CommandLineValues.TryParseSize(part, out var w, out var h))
            {
                video = video with { Width = w, Height = h };
            }
            else if (CommandLineValues.TryParseBitRate(part, out var rate))
            {
                video = video with { BitRate = rate };
            }
            else
            {
                bad("video", $"'{part}' in --video is neither a bit rate (1500k) nor a size (1280x720)");
            }
        }
    }

    private static void ParseVideoCodec(string text, ref VideoCodec? codec, ref bool drop, Action<string, string> bad)
    {
        if (text == "none")
        {
            drop = true;
            return;
        }

        codec = CodecNames.ParseVideo(text);
        if (codec is null)
        {
            bad("video.codec", $"'{text}' is not a video codec (h264, hevc, vp9, av1, copy, none)");
        }
    }

    private static void ParseAudioShorthand(string text, ref AudioSettings audio, ref AudioCodec? codec, ref bool drop, Action<string, string> bad)
    {
        var parts = text.Split(':');
        ParseAudioCodec(parts[0], ref codec, ref drop, bad);
        foreach (var part in parts.Skip(1))
        {
            if (CommandLineValues.TryParseBitRate(part, out var rate))
            {
                audio = audio with { BitRate = rate };
            }
            else
            {
                bad("audio", $"'{part}' in --audio is not a bit rate (128k)");
            }
        }
    }

    private static void ParseAudioCodec(string text, ref AudioCodec? codec, ref bool drop, Action<string, string> bad)
    {
        if (text == "none")
        {
            drop = true;
            return;
        }

        codec = CodecNames.ParseAudio(text);
        if (codec is null)
        {
            bad("audio.codec", $"'{text}' is not an audio codec (aac, opus, copy, none)");
        }
    }

    private static long? BitRate(string text, string field, Action<string, string> bad)
    {
        if (CommandLineValues.TryParseBitRate(text, out var rate))
        {
            return rate;
        }

        bad(field, $"'{text}' is not a bit rate like 1500k or 2M");
        return null;
    }

    private static int? Integer(string text, string field, Action<string, string> bad)
    {
        if (int.TryParse(text, out var value))
        {
            return value;
        }

        bad(field, $"'{text}' is not an integer");
        return null;
    }

    private static long? Positive(string text, string field, Action<string, string> bad)
    {
        if (long.TryParse(text, out var value) && value > 0)
        {
            return value;
        }

        bad(field, $"'{text}' is not a positive integer");
        return null;
    }
}
