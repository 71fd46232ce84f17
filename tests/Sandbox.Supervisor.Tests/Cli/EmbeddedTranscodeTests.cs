using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Cli;

/// <summary>
/// <c>sandbox transcode IN OUT</c>, the README's main command: a private supervisor and one sandboxed
/// worker, which runs as an unprivileged user that often cannot reach the caller's files.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class EmbeddedTranscodeTests(TestClips clips) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Files_the_worker_user_cannot_reach_are_transcoded_through_a_private_copy_and_land_whole()
    {
        var closed = Directory.CreateDirectory(_directory.File("owner-only"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        var input = Path.Combine(closed, "in.mp4");
        File.Copy(clips.Short, input);
        File.SetUnixFileMode(input, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var output = Path.Combine(closed, "out.webm");
        var before = PrivateDirectories();

        var result = await SandboxCli.RunAsync("transcode", input, output, "--size", "160x120");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("cannot read", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"output {output}", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["in.mp4", "out.webm"], _directory.EntryNames(closed));
        var report = await FfprobeReport.ProbeAsync(output);
        Assert.Equal((160, 120), (report.Video.Width, report.Video.Height));
        Assert.Equal(before, PrivateDirectories());
    }

    private static string[] PrivateDirectories() => [.. Directory.EnumerateDirectories(Path.GetTempPath(), "sandbox-transcode-*").Order(StringComparer.Ordinal)];
}
