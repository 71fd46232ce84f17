using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Interop;

/// <summary>Compiles small C programs against the installed FFmpeg headers (gcc + pkg-config).</summary>
internal static class NativeCompiler
{
    private static readonly string[] Packages = ["libavformat", "libavcodec", "libavutil", "libavfilter"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Compiles <paramref name="source"/> into <paramref name="output"/>; extra gcc arguments follow the source.</summary>
    public static async Task CompileAsync(string source, string output, params string[] extraArguments)
    {
        var cflags = (await ChildProcess.RunAsync("pkg-config", ["--cflags", .. Packages], Timeout)).StandardOutput.Trim();
        var sourceFile = output + ".c";
        await File.WriteAllTextAsync(sourceFile, source);
        string[] arguments = [.. cflags.Split(' ', StringSplitOptions.RemoveEmptyEntries), "-o", output, sourceFile, .. extraArguments];
        var result = await ChildProcess.RunAsync("gcc", arguments, Timeout);
        Assert.True(result.ExitCode == 0, $"gcc failed:\n{result.StandardError}");
    }
}
