using Google.Protobuf.WellKnownTypes;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>The session specs the tests submit.</summary>
public static class Specs
{
    /// <summary>A quick h264/AAC mp4 transcode: about a second for the short clip.</summary>
    public static SessionSpec Mp4(string input, string output) => new()
    {
        InputPath = input,
        Output = new OutputTarget { Path = output, Container = Container.Mp4 },
        Video = new VideoSettings { Codec = VideoCodec.H264, Preset = "ultrafast" },
        Audio = new AudioSettings { Codec = AudioCodec.Aac },
    };

    /// <summary>
    /// VP9/Opus in webm at the encoder's default speed: for the 20 s clip this runs well over 10 s on
    /// 2 cores, so a test can act on the session while it is RUNNING.
    /// </summary>
    public static SessionSpec SlowWebm(string input, string output, TimeSpan? deadline = null)
    {
        var spec = new SessionSpec
        {
            InputPath = input,
            Output = new OutputTarget { Path = output, Container = Container.Webm },
            Video = new VideoSettings { Codec = VideoCodec.Vp9 },
            Audio = new AudioSettings { Codec = AudioCodec.Opus },
        };
        if (deadline is { } d)
        {
            spec.Deadline = Duration.FromTimeSpan(d);
        }

        return spec;
    }
}
