namespace Sandbox.Worker.Tests.Media;

/// <summary>
/// The test clips, generated once per test run into a temp dir and deleted afterwards. Tests read
/// them and never write next to them: each test writes into its own <see cref="TempDirectory"/>.
/// </summary>
public sealed class ClipLibrary : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();

    public MediaClip Mp4 { get; private set; } = null!;

    public MediaClip Matroska { get; private set; } = null!;

    public MediaClip MpegTs { get; private set; } = null!;

    public MediaClip Wav { get; private set; } = null!;

    public MediaClip VideoOnly { get; private set; } = null!;

    public MediaClip Mono44100 { get; private set; } = null!;

    public MediaClip LongMp4 { get; private set; } = null!;

    public MediaClip TinyMjpegAvi { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // ffmpeg runs are independent and mostly single-threaded: make them side by side.
        var directory = _directory.Path;
        var mp4 = ClipFactory.Mp4Async(directory);
        var matroska = ClipFactory.MatroskaAsync(directory);
        var mpegTs = ClipFactory.MpegTsAsync(directory);
        var wav = ClipFactory.WavAsync(directory);
        var videoOnly = ClipFactory.VideoOnlyAsync(directory);
        var mono44100 = ClipFactory.Mono44100Async(directory);
        var longMp4 = ClipFactory.LongMp4Async(directory);
        var tinyMjpegAvi = ClipFactory.TinyMjpegAviAsync(directory);
        await Task.WhenAll(mp4, matroska, mpegTs, wav, videoOnly, mono44100, longMp4, tinyMjpegAvi);
        Mp4 = await mp4;
        Matroska = await matroska;
        MpegTs = await mpegTs;
        Wav = await wav;
        VideoOnly = await videoOnly;
        Mono44100 = await mono44100;
        LongMp4 = await longMp4;
        TinyMjpegAvi = await tinyMjpegAvi;
    }

    /// <summary>Nothing to release asynchronously: xunit calls <see cref="Dispose"/> right after this.</summary>
    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();
}
