using System.Diagnostics;

namespace Sandbox.Worker.Tests.Interop;

/// <summary>Compiles and runs small C programs against the installed FFmpeg headers (gcc + pkg-config).</summary>
internal static class NativeCompiler
{
    private static readonly string[] Packages = ["libavformat", "libavcodec", "libavutil", "libavfilter"];

    /// <summary>Compiles <paramref name="source"/> into <paramref name="output"/>; extra gcc arguments follow the source.</summary>
    public static async Task CompileAsync(string source, string output, params string[] extraArguments)
    {
        var cflags = (await RunAsync("pkg-config", ["--cflags", .. Packages])).StandardOutput.Trim();
        var sourceFile = output + ".c";
        await File.WriteAllTextAsync(sourceFile, source);
        string[] arguments = [.. cflags.Split(' ', StringSplitOptions.RemoveEmptyEntries), "-o", output, sourceFile, .. extraArguments];
        var result = await RunAsync("gcc", arguments);
        Assert.True(result.ExitCode == 0, $"gcc failed:\n{result.StandardError}");
    }

    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(
        string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
