namespace Sandbox.Worker.Interop;

/// <summary>
/// Refuses to run against FFmpeg libraries whose major versions this layer was not built for:
/// a different major means different struct layouts, and reading them would corrupt memory.
/// </summary>
public static class FFmpegVersionGuard
{
    /// <summary>The major versions of Debian 12's FFmpeg 5.1, which <see cref="Layout"/> describes.</summary>
    public static IReadOnlyDictionary<string, int> ExpectedMajors { get; } = new Dictionary<string, int>
    {
        ["libavutil"] = 57,
        ["libavcodec"] = 59,
        ["libavformat"] = 59,
        ["libavfilter"] = 8,
        ["libswscale"] = 6,
        ["libswresample"] = 4,
    };

    private static readonly Lock Gate = new();
    private static IReadOnlyList<LibraryVersion>? s_verified;

    /// <summary>Checks the installed libraries once per process and returns their versions.</summary>
    public static IReadOnlyList<LibraryVersion> EnsureSupported()
    {
        lock (Gate)
        {
            if (s_verified is null)
            {
                var installed = ReadInstalled();
                Verify(installed);
                s_verified = installed;
            }

            return s_verified;
        }
    }

    /// <summary>Throws <see cref="FFmpegVersionException"/> naming every library whose major differs.</summary>
    public static void Verify(IReadOnlyList<LibraryVersion> found)
    {
        var problems = found
            .Where(v => ExpectedMajors.TryGetValue(v.Library, out var major) && v.Major != major)
            .Select(v => $"{v.Library} {v.Major}.{v.Minor}.{v.Micro} found, major {ExpectedMajors[v.Library]} expected")
            .ToList();
        if (problems.Count > 0)
        {
            throw new FFmpegVersionException(
                $"unsupported FFmpeg libraries: {string.Join("; ", problems)}. This build is made for FFmpeg 5.1 (Debian 12).");
        }
    }

    private static List<LibraryVersion> ReadInstalled()
    {
        // Checked in dependency order so the first failure names the most basic library.
        return
        [
            Read("libavutil", NativeLibraries.AVUtil, LibAVUtil.avutil_version),
            Read("libavcodec", NativeLibraries.AVCodec, LibAVCodec.avcodec_version),
            Read("libavformat", NativeLibraries.AVFormat, LibAVFormat.avformat_version),
            Read("libavfilter", NativeLibraries.AVFilter, LibAVFilter.avfilter_version),
            Read("libswscale", NativeLibraries.SwScale, LibSwScale.swscale_version),
            Read("libswresample", NativeLibraries.SwResample, LibSwResample.swresample_version),
        ];
    }

    private static LibraryVersion Read(string library, string soname, Func<uint> version)
    {
        try
        {
            return new LibraryVersion(library, version());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new FFmpegVersionException(
                $"{soname} could not be loaded ({e.Message.Split('\n')[0]}); this build needs FFmpeg 5.1 with {library} major {ExpectedMajors[library]} (Debian 12: apt-get install ffmpeg)");
        }
    }
}
