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
                s_verified = ReadInstalled();
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

    /// <summary>
    /// Reads each library's version in dependency order and stops at the first wrong major: a later
    /// library could not even be loaded against it, and the first mismatch is the one to report.
    /// </summary>
    private static List<LibraryVersion> ReadInstalled()
    {
        (string Library, string Soname, Func<uint> Version)[] libraries =
        [
            ("libavutil", NativeLibraries.AVUtil, LibAVUtil.avutil_version),
            ("libavcodec", NativeLibraries.AVCodec, LibAVCodec.avcodec_version),
            ("libavformat", NativeLibraries.AVFormat, LibAVFormat.avformat_version),
            ("libavfilter", NativeLibraries.AVFilter, LibAVFilter.avfilter_version),
            ("libswscale", NativeLibraries.SwScale, LibSwScale.swscale_version),
            ("libswresample", NativeLibraries.SwResample, LibSwResample.swresample_version),
        ];
        var installed = new List<LibraryVersion>();
        foreach (var (library, soname, version) in libraries)
        {
            var found = Read(library, soname, version);
            Verify([found]);
            installed.Add(found);
        }

        return installed;
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
