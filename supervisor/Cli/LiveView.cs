using System.Globalization;

namespace Sandbox.Supervisor.Cli;

/// <summary>
/// <c>--watch</c> for the operator commands: draws a fresh snapshot every <c>--interval</c> (1 s by
/// default) until Ctrl-C, or until <c>--count</c> snapshots. On a terminal each one replaces the
/// last; piped, they follow each other (a blank line between them; with <c>--json</c>, one object
/// per line), so scripts and tests can read them.
/// </summary>
internal static class LiveView
{
    private const string ClearScreen = "\u001b[H\u001b[2J";

    public static async Task<int> RunAsync(CommandLineArguments args, Func<CancellationToken, Task> draw)
    {
        var interval = Interval(args.Value("--interval"));
        var count = args.Value("--count") is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new UsageException($"--count needs a positive number, not '{text}'")
            : int.MaxValue;
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            for (var drawn = 0; drawn < count && !stop.IsCancellationRequested; drawn++)
            {
                if (!Console.IsOutputRedirected)
                {
                    Console.Write(ClearScreen);
                }
                else if (drawn > 0)
                {
                    Console.WriteLine();
                }

                await draw(stop.Token);
                if (drawn + 1 < count)
                {
                    await Task.Delay(interval, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C: the last snapshot stays on screen.
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        return 0;
    }

    /// <summary>Seconds, with or without an <c>s</c>: <c>2</c>, <c>0.5s</c>.</summary>
    private static TimeSpan Interval(string? text)
    {
        if (text is null)
        {
            return TimeSpan.FromSeconds(1);
        }

        return double.TryParse(text.TrimEnd('s'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0.1
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--interval needs seconds (at least 0.1), e.g. 2 or 0.5s, not '{text}'");
    }
}
