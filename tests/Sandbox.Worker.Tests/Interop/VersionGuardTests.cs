using Sandbox.Worker.Interop;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Interop;

public sealed class VersionGuardTests
{
    [Fact]
    public void The_installed_libraries_are_the_ones_the_layer_was_built_for()
    {
        var versions = FFmpegVersionGuard.EnsureSupported();

        Assert.Equal(FFmpegVersionGuard.ExpectedMajors.Count, versions.Count);
        Assert.All(versions, v => Assert.Equal(FFmpegVersionGuard.ExpectedMajors[v.Library], v.Major));
    }

    [Fact]
    public void A_different_major_version_is_refused_naming_found_and_expected()
    {
        LibraryVersion[] found =
        [
            new("libavutil", (57u << 16) | (28u << 8) | 100),
            new("libavformat", (60u << 16) | (3u << 8) | 100),
        ];

        var error = Assert.Throws<FFmpegVersionException>(() => FFmpegVersionGuard.Verify(found));

        Assert.Contains("libavformat 60.3.100 found, major 59 expected", error.Message);
        Assert.DoesNotContain("libavutil", error.Message);
    }

    /// <summary>
    /// The real guard, end to end: a worker process is pointed (LD_LIBRARY_PATH) at a stand-in
    /// libavformat.so.59 that reports major 60, and must refuse to start with a clear message.
    /// </summary>
    [Fact]
    public async Task The_worker_refuses_a_libavformat_of_another_major_version()
    {
        using var directory = new TempDirectory();
        await NativeCompiler.CompileAsync(
            "unsigned avformat_version(void) { return (60u << 16) | (3u << 8) | 100; }",
            directory.File("libavformat.so.59"),
            "-shared", "-fPIC", "-Wl,-soname,libavformat.so.59");

        var (exitCode, _, error) = await ChildProcess.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "sandbox-worker.dll"), "capabilities"],
            WorkerProcess.Timeout,
            environment: new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = directory.Path });

        Assert.Equal(1, exitCode);
        Assert.Contains("FFMPEG_VERSION_MISMATCH", error);
        Assert.Contains("libavformat 60.3.100 found, major 59 expected", error);
    }
}
