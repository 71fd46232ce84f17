using Grpc.Core;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>Submits sessions and reads their Watch streams, every call with a hard deadline.</summary>
public static class SessionStreams
{
    /// <summary>Far above what the test clips need on 2 cores; reaching it means something hung.</summary>
    public static readonly TimeSpan Timeout = TestTime.Limit(TimeSpan.FromSeconds(90));

    /// <summary>Reads the session's events from <paramref name="fromSequence"/> until the supervisor ends the stream (the session ended).</summary>
    public static async Task<List<SessionEvent>> WatchToEndAsync(SessionsClient client, string sessionId, long fromSequence = 1)
    {
        using var call = client.Watch(new WatchRequest { SessionId = sessionId, FromSequence = fromSequence }, deadline: DateTime.UtcNow + Timeout);
        var events = new List<SessionEvent>();
        await foreach (var e in call.ResponseStream.ReadAllAsync())
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Reads events until one matches <paramref name="stop"/> (included), then disconnects.</summary>
    public static async Task<List<SessionEvent>> WatchUntilAsync(SessionsClient client, string sessionId, Func<SessionEvent, bool> stop, long fromSequence = 1)
    {
        using var disconnect = new CancellationTokenSource();
        using var call = client.Watch(
            new WatchRequest { SessionId = sessionId, FromSequence = fromSequence }, deadline: DateTime.UtcNow + Timeout, cancellationToken: disconnect.Token);
        var events = new List<SessionEvent>();
        await foreach (var e in call.ResponseStream.ReadAllAsync())
        {
            events.Add(e);
            if (stop(e))
            {
                await disconnect.CancelAsync();
                return events;
            }
        }

        Assert.Fail($"session {sessionId} ended without the awaited event; events: {string.Join(", ", events.Select(Describe))}");
        return events;
    }

    /// <summary>Waits until the worker reports progress: the transcode is then under way with its output file open.</summary>
    public static Task<List<SessionEvent>> WaitForProgressAsync(SessionsClient client, string sessionId) =>
        WatchUntilAsync(client, sessionId, e => e.EventCase == SessionEvent.EventOneofCase.Progress);

    /// <summary>Submits, follows the session to its end and returns what Get says about it then.</summary>
    public static async Task<(Session Session, List<SessionEvent> Events)> RunAsync(SessionsClient client, SessionSpec spec)
    {
        var submitted = await client.SubmitAsync(new SubmitRequest { Spec = spec }, deadline: DateTime.UtcNow + Timeout);
        var events = await WatchToEndAsync(client, submitted.Id);
        return (await GetAsync(client, submitted.Id), events);
    }

    public static Task<Session> SubmitAsync(SessionsClient client, SessionSpec spec) =>
        client.SubmitAsync(new SubmitRequest { Spec = spec }, deadline: DateTime.UtcNow + Timeout).ResponseAsync;

    public static Task<Session> GetAsync(SessionsClient client, string sessionId) =>
        client.GetAsync(new GetSessionRequest { SessionId = sessionId }, deadline: DateTime.UtcNow + Timeout).ResponseAsync;

    /// <summary>The states of the StateChanged events, in order.</summary>
    public static List<SessionState> States(IEnumerable<SessionEvent> events) =>
        [.. events.Where(e => e.EventCase == SessionEvent.EventOneofCase.StateChanged).Select(e => e.StateChanged.State)];

    public static string Describe(SessionEvent e) => e.EventCase switch
    {
        SessionEvent.EventOneofCase.StateChanged => $"#{e.Sequence} {e.StateChanged.State}{(e.StateChanged.Failure is { } f ? $" {f.Reason}: {f.Message}" : "")}",
        _ => $"#{e.Sequence} {e.EventCase}",
    };

    public static string Describe(IEnumerable<SessionEvent> events) => string.Join(", ", events.Select(Describe));
}
