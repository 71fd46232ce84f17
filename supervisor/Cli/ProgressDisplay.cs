using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Cli;

/// <summary>A progress bar on stderr that redraws itself on a terminal and prints plain lines otherwise.</summary>
internal sealed class ProgressDisplay
{
    private const int Width = 30;
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private DateTimeOffset _lastLine;

    public void Show(Progress progress)
    {
        var filled = (int)Math.Round(Math.Clamp(progress.Percent, 0, 100) / 100 * Width);
        var line = $"[{new string('#', filled)}{new string('.', Width - filled)}] {progress.Percent,5:0.0}%  frames {progress.Frames}  {progress.Fps:0.0} fps  {progress.Speed:0.00}x";
        if (_terminal)
        {
            Console.Error.Write($"\r{line}");
        }
        else if (DateTimeOffset.UtcNow - _lastLine > TimeSpan.FromSeconds(2))
        {
            _lastLine = DateTimeOffset.UtcNow;
            Console.Error.WriteLine(line);
        }
    }

    public void Done()
    {
        if (_terminal)
        {
            Console.Error.WriteLine();
        }
    }
}
