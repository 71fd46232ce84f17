namespace Sandbox.Worker.Tests.Media;

/// <summary>
/// Crafts hostile or broken input files. Each method writes one file into a directory the caller
/// owns and returns its path.
/// </summary>
public static class MaliciousInputs
{
    /// <summary>A fixed seed: the "random" bytes are the same in every run, so a failure reproduces.</summary>
    private const int RandomSeed = 0x5EED;

    public static string Empty(string directory) => Write(directory, "empty.mp4", []);

    /// <summary>64 KiB of seeded pseudo-random bytes: no demuxer should claim them.</summary>
    public static string RandomBytes(string directory)
    {
        var bytes = new byte[64 * 1024];
#pragma warning disable CA5394 // Reproducible noise is the point; this is not security randomness.
        new Random(RandomSeed).NextBytes(bytes);
#pragma warning restore CA5394
        return Write(directory, "random.mp4", bytes);
    }

    /// <summary>The first half of a clip whose moov atom is at the end: recognisably mp4, but undemuxable.</summary>
    public static string TruncatedMp4(string directory, MediaClip nonFaststartMp4)
    {
        var bytes = File.ReadAllBytes(nonFaststartMp4.Path);
        return Write(directory, "truncated.mp4", bytes[..(bytes.Length / 2)]);
    }

    /// <summary>
    /// An HLS playlist disguised by its name as an mp4, whose "segment" is a local file. A worker that
    /// let the HLS demuxer open it would read /etc/passwd (the CVE-2017-9993 family of leaks).
    /// </summary>
    public static string HlsPlaylist(string directory) =>
        Write(directory, "evil.mp4", "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"u8.ToArray());

    /// <summary>An ffconcat list naming a local file, the concat demuxer's version of the same leak.</summary>
    public static string ConcatList(string directory) =>
        Write(directory, "list.mp4", "ffconcat version 1.0\nfile '/etc/passwd'\n"u8.ToArray());

    private static string Write(string directory, string name, byte[] content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
