using System.Security.Cryptography;
using System.Text;

namespace Sandbox.Tests.Shared;

/// <summary>
/// Runs the ffmpeg CLI to make test media; any failure is a broken test setup, so it throws. The last
/// argument is the output file. With <c>SANDBOX_TEST_MEDIA_CACHE</c> set (scripts/test sets it for the
/// host run and the cgroup v2 VM alike), media made from generated sources only (no input file among
/// the arguments) is kept there under a hash of the arguments and copied on the next request: the VM,
/// under software emulation, would otherwise spend minutes encoding clips the host already made.
/// </summary>
public static class Ffmpeg
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static async Task RunAsync(params string[] arguments)
    {
        var output = arguments[^1];
        var cached = CachedCopy(arguments);
        if (cached is not null && File.Exists(cached))
        {
            File.Copy(cached, output, overwrite: true);
            return;
        }

        string[] quiet = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. arguments];
        var result = await ChildProcess.RunAsync("ffmpeg", quiet, Timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', quiet)} failed (exit code {result.ExitCode}): {result.StandardError}");
        }

        if (cached is not null)
        {
            // Written aside and renamed, so a concurrent reader never copies half a file.
            Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
            var partial = $"{cached}.{Guid.NewGuid():N}.partial";
            File.Copy(output, partial);
            File.Move(partial, cached, overwrite: true);
        }
    }

    /// <summary>Where the cache keeps this output, or null when there is no cache or an input file is named (its content is not in the key).</summary>
    private static string? CachedCopy(string[] arguments)
    {
        if (Environment.GetEnvironmentVariable("SANDBOX_TEST_MEDIA_CACHE") is not { Length: > 0 } cache
            || arguments[..^1].Any(a => a.StartsWith('/') && File.Exists(a)))
        {
            return null;
        }

        var key = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', arguments[..^1])));
        return Path.Combine(cache, Convert.ToHexStringLower(key)[..32] + Path.GetExtension(arguments[^1]));
    }
}
