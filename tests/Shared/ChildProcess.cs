using System.Diagnostics;

namespace Sandbox.Tests.Shared;

/// <summary>
/// Runs a program as a child process and waits for it with a hard timeout. A child that outlives
/// its timeout is killed with its whole process tree, so a hung worker or ffmpeg fails one test
/// instead of hanging the run. Timeouts are stretched by <see cref="TestTime"/>.
/// </summary>
public static class ChildProcess
{
    /// <summary>How long the output pipes may stay open after a kill (a grandchild could hold them).</summary>
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(10);

    public static async Task<ChildProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var commandLine = $"{fileName} {string.Join(' ', info.ArgumentList)}";
        timeout = TestTime.Limit(timeout);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {commandLine}");

        // Nothing is ever typed at a child: an immediate EOF keeps ffmpeg from waiting for keys.
        process.StandardInput.Close();

        // Both pipes are read concurrently so neither can fill up and block the child.
        var standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            var partial = await Task.WhenAll(standardOutput, standardError).WaitAsync(DrainAfterKill, CancellationToken.None);
            throw new TimeoutException(
                $"{commandLine} did not exit within {timeout.TotalSeconds:0.#} s and was killed.\n"
                + $"stdout:\n{partial[0]}\nstderr:\n{partial[1]}");
        }

        return new ChildProcessResult(process.ExitCode, await standardOutput, await standardError);
    }
}
