using Grpc.Core;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Cli;

/// <summary>The session commands against a running supervisor: submit, watch, get, list, cancel.</summary>
internal static class SessionCommands
{
    public static async Task<int> SubmitAsync(CommandLineArguments args, CommandOutput output)
    {
        if (args.Positional.Count != 2)
        {
            throw new UsageException("submit takes INPUT and OUTPUT");
        }

        var spec = SpecArguments.Parse(args.Positional[0], args.Positional[1], args.Rest("--socket", "--address", "--json", "--watch"));
        using var channel = ClientConnection.Open(args);
        var client = new global::Sandbox.Api.V1.Sessions.SessionsClient(channel);
        var session = await client.SubmitAsync(new SubmitRequest { Spec = spec });
        output.Print(session, () => session.Id);
        return args.Flag("--watch") ? await FollowAsync(client, session.Id, 1, output) : 0;
    }

    public static async Task<int> WatchAsync(CommandLineArguments args, CommandOutput output)
    {
        var id = Single(args, "watch");
        using var channel = ClientConnection.Open(args);
        var from = long.TryParse(args.Value("--from"), out var f) ? f : 1;
        return await FollowAsync(new global::Sandbox.Api.V1.Sessions.SessionsClient(channel), id, from, output);
    }

    /// <summary>Prints the session's events until it ends; the exit code says how it ended (0 completed, 1 otherwise).</summary>
    public static async Task<int> FollowAsync(global::Sandbox.Api.V1.Sessions.SessionsClient client, string id, long from, CommandOutput output, ProgressDisplay? bar = null)
    {
        using var call = client.Watch(new WatchRequest { SessionId = id, FromSequence = from });
        var final = SessionState.Unspecified;
        await foreach (var e in call.ResponseStream.ReadAllAsync())
        {
            if (bar is not null && e.EventCase == SessionEvent.EventOneofCase.Progress)
            {
                bar.Show(e.Progress);
            }
            else if (bar is null)
            {
                output.Print(e, () => CommandOutput.Describe(e));
            }

            if (e.StateChanged is { } change)
            {
                final = change.State;
            }
        }

        bar?.Done();
        return final == SessionState.Completed ? 0 : 1;
    }

    public static async Task<int> GetAsync(CommandLineArguments args, CommandOutput output)
    {
        var id = Single(args, "get");
        using var channel = ClientConnection.Open(args);
        var session = await new global::Sandbox.Api.V1.Sessions.SessionsClient(channel).GetAsync(new GetSessionRequest { SessionId = id });
        output.Print(session, () => CommandOutput.Describe(session) + WorkerStderr(session));
        return 0;
    }

    /// <summary>The worker's last stderr lines, indented under the session (what an operator diagnosing it wants next).</summary>
    private static string WorkerStderr(Session session) =>
        session.WorkerStderrTail.Length == 0
            ? ""
            : Environment.NewLine + "  worker stderr (last lines):" + string.Concat(session.WorkerStderrTail.Split('\n').Select(l => $"{Environment.NewLine}    {l}"));

    public static async Task<int> ListAsync(CommandLineArguments args, CommandOutput output)
    {
        using var channel = ClientConnection.Open(args);
        var request = new ListSessionsRequest { PageSize = int.TryParse(args.Value("--page-size"), out var size) ? size : 0, PageToken = args.Value("--page") ?? "" };
        foreach (var state in args.Values("--state"))
        {
            request.States.Add(Enum.TryParse<SessionState>(state, ignoreCase: true, out var s) && s != SessionState.Unspecified
                ? s
                : throw new UsageException($"unknown state '{state}' (queued, starting, running, completed, failed, cancelled)"));
        }

        var response = await new global::Sandbox.Api.V1.Sessions.SessionsClient(channel).ListAsync(request);
        output.Print(response, () => string.Join(Environment.NewLine, response.Sessions.Select(CommandOutput.Describe)
            .Append(response.NextPageToken.Length > 0 ? $"(more: --page {response.NextPageToken})" : "")).TrimEnd());
        return 0;
    }

    public static async Task<int> CancelAsync(CommandLineArguments args, CommandOutput output)
    {
        var id = Single(args, "cancel");
        using var channel = ClientConnection.Open(args);
        var session = await new global::Sandbox.Api.V1.Sessions.SessionsClient(channel).CancelAsync(new CancelRequest { SessionId = id });
        output.Print(session, () => CommandOutput.Describe(session));
        return 0;
    }

    private static string Single(CommandLineArguments args, string command) =>
        args.Positional.Count == 1 ? args.Positional[0] : throw new UsageException($"{command} takes one SESSION_ID");
}
