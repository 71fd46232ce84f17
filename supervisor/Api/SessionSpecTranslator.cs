using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Isolation.Identity;
using Sandbox.Supervisor.Isolation.Profiles;
using Sandbox.Supervisor.Storage;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Rpc;
using AudioCodecProto = Sandbox.Api.V1.AudioCodec;
using ErrorReason = Sandbox.Api.V1.ErrorReason;
using InputPolicy = Sandbox.Api.Worker.V1.InputPolicy;
using VideoCodecProto = Sandbox.Api.V1.VideoCodec;

namespace Sandbox.Supervisor.Api;

/// <summary>
/// Checks a submitted spec completely before it is queued — the same validation and path rules
/// the worker applies — and turns it into the worker request, with every path resolved.
/// </summary>
internal sealed class SessionSpecTranslator(
    IOptions<SupervisorOptions> options, StateDirectories directories, UploadStore uploads, ProfileCatalog profiles, WorkerUser workerUser, Hardware.HardwarePlanner hardware)
{
    private readonly SupervisorOptions _options = options.Value;

    public TranscodeRequest Translate(string sessionId, SessionSpec? spec)
    {
        if (spec is null)
        {
            throw RpcErrors.InvalidSpec("spec", "is required");
        }

        var violations = new List<(string Field, string Description)>();
        var input = spec.InputCase switch
        {
            SessionSpec.InputOneofCase.InputPath => spec.InputPath,
            SessionSpec.InputOneofCase.UploadId => uploads.Find(spec.UploadId)
                ?? throw RpcErrors.Create(ErrorReason.UploadNotFound, $"no completed upload has id '{spec.UploadId}'"),
            _ => null,
        };
        if (input is null)
        {
            violations.Add(("input_path", "set input_path (under an input root) or upload_id"));
        }

        if (spec.InputCase == SessionSpec.InputOneofCase.InputPath && _options.InputRoots.Count == 0)
        {
            throw RpcErrors.Create(ErrorReason.PathNotAllowed, "this supervisor has no input roots configured: upload the input instead");
        }

        var output = spec.Output ?? new OutputTarget();
        var container = output.Container;
        string? outputPath = null;
        switch (output.TargetCase)
        {
            case OutputTarget.TargetOneofCase.Path:
                if (_options.OutputRoots.Count == 0)
                {
                    throw RpcErrors.Create(ErrorReason.PathNotAllowed, "this supervisor has no output roots configured: ask for a download instead");
                }

                outputPath = output.Path;
                break;
            case OutputTarget.TargetOneofCase.Download when container == Container.Hls:
                violations.Add(("output.download", "an hls output is a playlist and its segments: write it to an output.path (*.m3u8) instead"));
                break;
            case OutputTarget.TargetOneofCase.Download:
                container = container == Container.Unspecified ? Container.Mp4 : container;
                outputPath = Path.Combine(directories.Downloads, $"{sessionId}.{Extension(container)}");
                break;
            default:
                violations.Add(("output", "set output.path (under an output root) or output.download"));
                break;
        }

        if (profiles.Find(spec.Profile) is null)
        {
            violations.Add(("profile", $"unknown sandbox profile '{spec.Profile}' (available: {string.Join(", ", profiles.Names)})"));
        }

        if (spec.Deadline is { } deadline && deadline.ToTimeSpan() <= TimeSpan.Zero)
        {
            violations.Add(("deadline", "must be positive"));
        }

        if (violations.Count > 0)
        {
            throw RpcErrors.Create(ErrorReason.InvalidSpec, "invalid spec: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")), violations);
        }

        var request = new TranscodeRequest
        {
            InputPath = input!,
            OutputPath = outputPath!,
            Container = container,
            Video = spec.Video,
            Audio = spec.Audio,
            Deadline = spec.Deadline,
            Policy = Policy(spec),
            Checkpoints = Checkpointing(sessionId, spec, outputPath!),
        };
        Check(request, spec);
        if (spec.Hardware == HardwarePreference.HardwareRequired && hardware.Choose(spec, request) is { Verdict: Hardware.HardwareVerdict.Refuse } refused)
        {
            throw RpcErrors.Create(ErrorReason.HardwareUnavailable, $"hardware REQUIRED, but {refused.Reason}");
        }

        return request;
    }

    /// <summary>
    /// Chunked output, into the session's staging directory, unless the client disabled it or a track
    /// is stream-copied (copied packets cannot be cut into independent chunks, and copying is cheap to redo).
    /// </summary>
    private static Checkpointing? Checkpointing(string sessionId, SessionSpec spec, string outputPath)
    {
        var copies = spec.Video is { Drop: false, Codec: VideoCodecProto.Copy } || spec.Audio is { Drop: false, Codec: AudioCodecProto.Copy };
        if (spec.Checkpoints is { Disabled: true } || copies)
        {
            return null;
        }

        return new Checkpointing
        {
            Directory = OutputStaging.CheckpointDirectory(outputPath, sessionId),
            Session = sessionId,
            ChunkLength = spec.Checkpoints?.ChunkLength ?? Duration.FromTimeSpan(CheckpointOptions.DefaultChunkLength),
            Keep = spec.Checkpoints?.Keep ?? false,
        };
    }

    /// <summary>
    /// What this session's worker may touch: the configured roots for paths the client named, or
    /// the supervisor's own upload or download area when the session uses one — never both, so a
    /// client path cannot reach another session's upload or download.
    /// </summary>
    private InputPolicy Policy(SessionSpec spec)
    {
        var policy = new InputPolicy();
        policy.InputRoots.AddRange(spec.InputCase == SessionSpec.InputOneofCase.UploadId ? [directories.Uploads] : _options.InputRoots);
        policy.OutputRoots.AddRange(spec.Output?.TargetCase == OutputTarget.TargetOneofCase.Download ? [directories.Downloads] : _options.OutputRoots);
        return policy;
    }

    /// <summary>
    /// The worker's own validation and path rules, run here so a bad spec fails at Submit; and a
    /// path the client named must not lead into the supervisor's state directory (other sessions'
    /// uploads and downloads), even when a root contains it.
    /// </summary>
    private void Check(TranscodeRequest request, SessionSpec sessionSpec)
    {
        try
        {
            var (spec, policy) = TranscodeRequestMapper.ToEngine(request);
            var violations = SpecValidator.Validate(spec);
            if (violations.Count > 0)
            {
                throw new TranscodeException(violations);
            }

            var input = PathGuard.ResolveInput(spec.InputPath, policy);
            var output = PathGuard.ResolveOutput(spec.OutputPath, policy);
            if (sessionSpec.InputCase == SessionSpec.InputOneofCase.InputPath && IsInStateDirectory(input))
            {
                throw new TranscodeException(Worker.Engine.ErrorReason.PATH_NOT_ALLOWED, "input_path is inside the supervisor's state directory");
            }

            if (sessionSpec.Output.TargetCase == OutputTarget.TargetOneofCase.Path && IsInStateDirectory(output))
            {
                throw new TranscodeException(Worker.Engine.ErrorReason.PATH_NOT_ALLOWED, "output.path is inside the supervisor's state directory");
            }

            if (!workerUser.CanRead(input))
            {
                throw new TranscodeException(
                    Worker.Engine.ErrorReason.PATH_NOT_ALLOWED,
                    $"input_path is not readable by the worker user ({workerUser}): make the file readable by others (chmod o+r) and its directories searchable (o+x), or upload it");
            }

            if (!workerUser.CanTraverseTo(Path.Combine(Path.GetDirectoryName(output)!, ".sandbox-staging")))
            {
                throw new TranscodeException(
                    Worker.Engine.ErrorReason.PATH_NOT_ALLOWED,
                    $"output.path is in a directory the worker user ({workerUser}) cannot reach: make it and every directory above it searchable by others (chmod o+x), or ask for a download");
            }
        }
        catch (TranscodeException e)
        {
            var reason = ErrorReasonNames.Parse(e.Reason.ToString()) ?? ErrorReason.Internal;
            throw RpcErrors.Create(reason, e.Message, e.Violations.Select(v => (WireField(v.Field), v.Description)));
        }
    }

    private bool IsInStateDirectory(string path)
    {
        var state = Sandbox.Worker.Interop.RealPath.Resolve(directories.Root) ?? directories.Root;
        return path.StartsWith(Path.TrimEndingDirectorySeparator(state) + "/", StringComparison.Ordinal);
    }

    /// <summary>The engine names the input and output fields after the spec's own paths.</summary>
    private static string WireField(string field) => field switch
    {
        "input" => "input_path",
        "output" => "output.path",
        "container" => "output.container",
        "checkpoints.chunk_length" => "checkpoints.chunk_length",
        _ => field,
    };

    private static string Extension(Container container) => container switch
    {
        Container.Webm => "webm",
        Container.Mkv => "mkv",
        Container.Mpegts => "ts",
        Container.Hls => "m3u8",
        _ => "mp4",
    };
}
