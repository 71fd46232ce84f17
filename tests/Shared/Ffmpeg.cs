namespace Sandbox.Tests.Shared;

/// <summary>Runs the ffmpeg CLI to make test media; any failure is a broken test setup, so it throws.</summary>
public static class Ffmpeg
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static async Task RunAsync(params string[] arguments)
    {
        string[] quiet = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. arguments];
        var result = await ChildProcess.RunAsync("ffmpeg", quiet, Timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', quiet)} failed (exit code {result.ExitCode}): {result.StandardError}");
        }
    }
}
