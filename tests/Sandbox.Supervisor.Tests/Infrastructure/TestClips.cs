using System.Globalization;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// The clips every test transcodes, made once per run with the ffmpeg CLI from lavfi sources and
/// deleted afterwards. Tests copy them into their supervisor's input root and never write here.
/// </summary>
public sealed class TestClips : IAsyncLifetime, IDisposable
{
    public const int Width = 320;
    public const int Height = 240;
    public const double ShortSeconds = 2;

    /// <summary>Long enough that a VP9 transcode of it runs for several seconds on 2 cores.</summary>
    public const double LongSeconds = 20;

    private readonly TempDirectory _directory = new();

    /// <summary>2 s of h264 + AAC in mp4: a session with it completes in about a second.</summary>
    public string Short { get; private set; } = "";

    /// <summary>20 s of h264 + AAC in mp4: transcoded to VP9 it is still RUNNING well after its first progress event.</summary>
    public string Long { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var clips = await Task.WhenAll(CreateAsync("short.mp4", ShortSeconds), CreateAsync("long.mp4", LongSeconds));
        (Short, Long) = (clips[0], clips[1]);
    }

    /// <summary>Nothing to release asynchronously: xunit calls <see cref="Dispose"/> right after this.</summary>
    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();

    private async Task<string> CreateAsync(string name, double seconds)
    {
        var path = _directory.File(name);
        var duration = seconds.ToString(CultureInfo.InvariantCulture);
        await Ffmpeg.RunAsync(
            "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate=25:duration={duration}",
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={duration}",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", "-shortest", path);
        return path;
    }
}
