using Sandbox.Api.V1;
using Sandbox.Worker.Cli;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Rpc;

namespace Sandbox.Supervisor.Cli;

/// <summary>
/// Reads a session spec from the same transcode options the worker takes (<c>--video h264:1500k:1280x720</c>…),
/// so there is one syntax for both.
/// </summary>
internal static class SpecArguments
{
    public static SessionSpec Parse(string input, string output, IEnumerable<string> options, bool download = false)
    {
        var command = Sandbox.Worker.Cli.TranscodeCommand.Parse([input, download ? "download.mp4" : output, .. options]);
        var request = TranscodeRequestMapper.FromEngine(command.Spec);
        var spec = new SessionSpec
        {
            InputPath = Path.GetFullPath(input),
            Output = download ? new OutputTarget { Download = true, Container = request.Container } : new OutputTarget { Path = Path.GetFullPath(output), Container = request.Container },
            Video = request.Video,
            Audio = request.Audio,
            Deadline = request.Deadline,
        };
        return spec;
    }

    /// <summary>Prints the field violations of a command line that does not parse; returns exit code 2.</summary>
    public static int Fail(TranscodeException error)
    {
        Console.Error.WriteLine($"error: {error.Reason}: {error.Message}");
        return 2;
    }
}
