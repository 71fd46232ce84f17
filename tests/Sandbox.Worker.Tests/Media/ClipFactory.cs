using System.Globalization;

namespace Sandbox.Worker.Tests.Media;

/// <summary>
/// Makes test clips with the ffmpeg CLI from lavfi sources (a moving test pattern and a sine
/// tone). Clips are tiny (320x240, 2 s) so the whole suite stays fast on 2 cores.
/// </summary>
public static class ClipFactory
{
    public const int Width = 320;
    public const int Height = 240;
    public const int FrameRate = 25;
    public const double Seconds = 2;

    /// <summary>h264 + stereo 48 kHz AAC in mp4. The moov atom stays at the end (no faststart), which the truncation test relies on.</summary>
    public static Task<MediaClip> Mp4Async(string directory) =>
        CreateAsync(directory, "clip.mp4", [.. TestPattern(Seconds), .. Tone(48_000, Seconds), .. H264, "-c:a", "aac", "-ac", "2", "-shortest"]);

    /// <summary>h264 + Opus in matroska.</summary>
    public static Task<MediaClip> MatroskaAsync(string directory) =>
        CreateAsync(directory, "clip.mkv", [.. TestPattern(Seconds), .. Tone(48_000, Seconds), .. H264, "-c:a", "libopus", "-ac", "2", "-shortest"]);

    /// <summary>h264 + AAC in MPEG-TS, which starts at a non-zero time (ffmpeg's muxer delays the first PTS by 1.4 s).</summary>
    public static Task<MediaClip> MpegTsAsync(string directory) =>
        CreateAsync(directory, "clip.ts", [.. TestPattern(Seconds), .. Tone(48_000, Seconds), .. H264, "-c:a", "aac", "-ac", "2", "-shortest"]);

    /// <summary>Stereo 48 kHz PCM in WAV: no video stream at all.</summary>
    public static Task<MediaClip> WavAsync(string directory) =>
        CreateAsync(directory, "audio-only.wav", [.. Tone(48_000, Seconds), "-c:a", "pcm_s16le", "-ac", "2"]);

    /// <summary>h264 in mp4 without an audio stream.</summary>
    public static Task<MediaClip> VideoOnlyAsync(string directory) =>
        CreateAsync(directory, "video-only.mp4", [.. TestPattern(Seconds), .. H264, "-an"]);

    /// <summary>h264 + mono 44.1 kHz AAC, a layout and rate the encoders must convert or keep.</summary>
    public static Task<MediaClip> Mono44100Async(string directory) =>
        CreateAsync(directory, "mono-44100.mp4", [.. TestPattern(Seconds), .. Tone(44_100, Seconds), .. H264, "-c:a", "aac", "-ac", "1", "-shortest"]);

    /// <summary>A 10 s clip: long enough that a VP9 transcode reports progress and can be cut off by a deadline.</summary>
    public static Task<MediaClip> LongMp4Async(string directory) =>
        CreateAsync(directory, "long.mp4", [.. TestPattern(10), .. Tone(48_000, 10), .. H264, "-c:a", "aac", "-ac", "2", "-shortest"]);

    /// <summary>A 16x16 MJPEG AVI, the raw material for <see cref="MjpegAviPatcher"/>.</summary>
    public static Task<MediaClip> TinyMjpegAviAsync(string directory) =>
        CreateAsync(directory, "tiny-mjpeg.avi", ["-f", "lavfi", "-i", "testsrc2=size=16x16:rate=25:duration=0.2", "-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-f", "avi"]);

    private static string[] H264 => ["-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p"];

    private static string[] TestPattern(double seconds) =>
        ["-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={Width}x{Height}:rate={FrameRate}:duration={seconds}")];

    private static string[] Tone(int sampleRate, double seconds) =>
        ["-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"sine=frequency=440:sample_rate={sampleRate}:duration={seconds}")];

    private static async Task<MediaClip> CreateAsync(string directory, string name, string[] arguments)
    {
        var path = Path.Combine(directory, name);
        await Ffmpeg.RunAsync([.. arguments, path]);
        return new MediaClip(path, await FfprobeReport.ProbeAsync(path, countFrames: true));
    }
}
