using Sandbox.Supervisor.Isolation.Identity;

namespace Sandbox.Supervisor.Cli;

/// <summary>
/// For the embedded transcode: workers run as an unprivileged user, which often cannot reach the
/// caller's files (a checkout under root's 0700 home, say). Such an input is copied into a private
/// area the worker can read, and such an output is written there and then moved into place by this
/// process — still whole or not at all.
/// </summary>
internal sealed class WorkerReachablePaths
{
    private const UnixFileMode PassThrough =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <param name="area">A private directory (its parents searchable by others) for the copies.</param>
    public WorkerReachablePaths(string area)
    {
        Inputs = Directory.CreateDirectory(Path.Combine(area, "in"), PassThrough).FullName;
        Outputs = Directory.CreateDirectory(Path.Combine(area, "out"), PassThrough).FullName;
    }

    /// <summary>Where copied inputs go: one more input root.</summary>
    public string Inputs { get; }

    /// <summary>Where outputs are made when their directory is out of the worker's reach: one more output root.</summary>
    public string Outputs { get; }

    /// <summary>The input the worker is given: <paramref name="input"/> itself, or a readable copy of it.</summary>
    public async Task<string> InputAsync(string input, WorkerUser user, CancellationToken cancellationToken)
    {
        if (!File.Exists(input) || user.CanRead(input))
        {
            return input;
        }

        var copy = Path.Combine(Inputs, Path.GetFileName(input));
        Console.Error.WriteLine($"note: the worker user ({user}) cannot read {input}; transcoding a copy");
        await CopyAsync(input, copy, cancellationToken);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return copy;
    }

    /// <summary>Where the worker writes: <paramref name="output"/> itself, or a file in the private area when its directory is out of reach.</summary>
    public string Output(string output, WorkerUser user) =>
        user.CanTraverseTo(Path.Combine(Path.GetDirectoryName(output)!, "staging")) ? output : Path.Combine(Outputs, Path.GetFileName(output));

    /// <summary>
    /// Moves a finished output made in the private area to where it was asked for, under a temporary
    /// name first; an HLS playlist's segments (<c>STEM-NNNNN.ts</c> beside it) go before the playlist.
    /// </summary>
    public static async Task PublishAsync(string produced, string output, CancellationToken cancellationToken)
    {
        if (Path.GetFullPath(produced) == Path.GetFullPath(output))
        {
            return;
        }

        if (Path.GetExtension(produced) == ".m3u8")
        {
            var segments = Directory.EnumerateFiles(Path.GetDirectoryName(produced)!, $"{Path.GetFileNameWithoutExtension(produced)}-?????.ts").Order();
            foreach (var segment in segments)
            {
                await PublishFileAsync(segment, Path.Combine(Path.GetDirectoryName(output)!, Path.GetFileName(segment)), cancellationToken);
            }
        }

        await PublishFileAsync(produced, output, cancellationToken);
    }

    private static async Task PublishFileAsync(string produced, string output, CancellationToken cancellationToken)
    {
        var partial = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.partial");
        try
        {
            await CopyAsync(produced, partial, cancellationToken);
            File.Move(partial, output, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static async Task CopyAsync(string source, string target, CancellationToken cancellationToken)
    {
        await using var from = File.OpenRead(source);
        await using var to = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await from.CopyToAsync(to, cancellationToken);
    }
}
