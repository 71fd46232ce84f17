using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Cli;

/// <summary>Prints results for people or, with <c>--json</c>, as protobuf JSON (one object per line) for scripts.</summary>
internal sealed class CommandOutput(bool json)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public bool Json => json;

    public void Print(IMessage message, Func<string> human) => Console.WriteLine(json ? Formatter.Format(message) : human());

    /// <summary>Prints a failed call's reason and field violations; returns the exit code (2 for a bad spec, else 1).</summary>
    public static int Fail(RpcException error)
    {
        var status = error.GetRpcStatus();
        var reason = status?.GetDetail<ErrorInfo>()?.Reason ?? error.StatusCode.ToString();
        Console.Error.WriteLine($"error: {reason}: {status?.Message ?? error.Status.Detail}");
        foreach (var violation in status?.GetDetail<BadRequest>()?.FieldViolations ?? [])
        {
            Console.Error.WriteLine($"  {violation.Field}: {violation.Description}");
        }

        return reason == ErrorReasonNames.Name(ErrorReason.InvalidSpec) ? 2 : 1;
    }

    public static string Describe(Session session)
    {
        var lines = new List<string> { $"{session.Id}  {session.State.ToString().ToUpperInvariant()}" };
        if (session.Progress is { } p)
        {
            lines.Add($"  progress {p.Percent:0.0}%  {p.OutputTime?.ToTimeSpan():hh\\:mm\\:ss\\.ff}  frames {p.Frames}  {p.Fps:0.0} fps  {p.Speed:0.00}x");
        }

        if (session.Failure is { } f)
        {
            lines.Add($"  {ErrorReasonNames.Name(f.Reason)}: {f.Message}");
        }

        if (session.OutputPath.Length > 0)
        {
            lines.Add($"  output {session.OutputPath}");
        }

        if (session.DownloadReady)
        {
            lines.Add("  output ready for download");
        }

        lines.AddRange(session.OutputStreams.Select(s => $"  {s}"));
        if (session.Adjustment.Length > 0)
        {
            // The streams line names the spec's settings; the chunks were encoded under this as well.
            lines.Add($"  adjusted: {session.Adjustment}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    public static string Describe(SessionEvent e) => e.EventCase switch
    {
        SessionEvent.EventOneofCase.StateChanged => $"#{e.Sequence} {e.Time.ToDateTimeOffset():HH:mm:ss.fff} {e.StateChanged.State.ToString().ToUpperInvariant()}"
            + (e.StateChanged.Failure is { } f ? $" {ErrorReasonNames.Name(f.Reason)}: {f.Message}" : "")
            + (e.StateChanged.Detail.Length > 0 ? $" ({e.StateChanged.Detail})" : ""),
        SessionEvent.EventOneofCase.Progress => $"#{e.Sequence} {e.Time.ToDateTimeOffset():HH:mm:ss.fff} progress {e.Progress.Percent:0.0}% frames {e.Progress.Frames} {e.Progress.Speed:0.00}x",
        _ => $"#{e.Sequence} {e.EventCase}",
    };
}
