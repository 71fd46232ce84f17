using Google.Protobuf;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Sessions;
using Sandbox.Supervisor.Storage;

namespace Sandbox.Supervisor.Api;

/// <summary>The public <c>sandbox.v1.Sessions</c> service.</summary>
internal sealed class SessionsApi(SessionManager sessions, UploadStore uploads, StateDirectories directories) : global::Sandbox.Api.V1.Sessions.SessionsBase
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;
    private const int DownloadChunkSize = 64 * 1024;

    public override Task<Session> Submit(SubmitRequest request, ServerCallContext context)
    {
        RejectUnknownFields(request);
        return Task.FromResult(sessions.Submit(request.Spec));
    }

    public override Task<Session> Get(GetSessionRequest request, ServerCallContext context) =>
        Task.FromResult(sessions.Find(request.SessionId).Snapshot());

    public override Task<ListSessionsResponse> List(ListSessionsRequest request, ServerCallContext context)
    {
        if (request.PageSize is < 0 or > MaxPageSize)
        {
            throw RpcErrors.InvalidSpec("page_size", $"must be 0 (default {DefaultPageSize}) to {MaxPageSize}");
        }

        var offset = 0;
        if (request.PageToken.Length > 0 && (!int.TryParse(request.PageToken, out offset) || offset < 0))
        {
            throw RpcErrors.InvalidSpec("page_token", "is not a token from a previous List response");
        }

        var size = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var matching = sessions.All.Where(s => request.States.Count == 0 || request.States.Contains(s.State)).ToList();
        var response = new ListSessionsResponse();
        response.Sessions.AddRange(matching.Skip(offset).Take(size).Select(s => s.Snapshot()));
        if (offset + size < matching.Count)
        {
            response.NextPageToken = (offset + size).ToString();
        }

        return Task.FromResult(response);
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<SessionEvent> responseStream, ServerCallContext context)
    {
        var record = sessions.Find(request.SessionId);
        var next = Math.Max(1, request.FromSequence);
        if (next > record.LastSequence + 1)
        {
            throw RpcErrors.Create(
                ErrorReason.SequenceOutOfRange,
                $"session '{record.Id}' has events up to {record.LastSequence}; from_sequence {request.FromSequence} is in the future");
        }

        while (true)
        {
            var (events, finished, changed) = record.ReadFrom(next);
            foreach (var sessionEvent in events)
            {
                await responseStream.WriteAsync(sessionEvent, context.CancellationToken);
                next = sessionEvent.Sequence + 1;
            }

            if (finished && next > record.LastSequence)
            {
                return;
            }

            await changed.WaitAsync(context.CancellationToken);
        }
    }

    public override Task<Session> Cancel(CancelRequest request, ServerCallContext context) =>
        Task.FromResult(sessions.Cancel(request.SessionId));

    public override Task<AdjustResponse> Adjust(AdjustRequest request, ServerCallContext context) =>
        sessions.AdjustAsync(request, context.CancellationToken);

    public override Task<UploadResult> Upload(IAsyncStreamReader<UploadChunk> requestStream, ServerCallContext context) =>
        uploads.ReceiveAsync(requestStream, context.CancellationToken);

    public override async Task Download(DownloadRequest request, IServerStreamWriter<DownloadChunk> responseStream, ServerCallContext context)
    {
        var session = sessions.Find(request.SessionId).Snapshot();
        if (session.Spec.Output?.TargetCase != OutputTarget.TargetOneofCase.Download)
        {
            throw RpcErrors.Create(ErrorReason.OutputNotAvailable, $"session '{session.Id}' writes to a path, not a download");
        }

        if (!session.DownloadReady)
        {
            throw RpcErrors.Create(ErrorReason.OutputNotAvailable, $"session '{session.Id}' has no output to download yet ({session.State})");
        }

        var path = Directory.EnumerateFiles(directories.Downloads, $"{session.Id}.*").Single();
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, DownloadChunkSize, useAsync: true);
        var sha256 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(file, context.CancellationToken));
        file.Position = 0;
        await responseStream.WriteAsync(
            new DownloadChunk { Metadata = new DownloadMetadata { Size = file.Length, Sha256 = sha256, Container = session.Spec.Output.Container } },
            context.CancellationToken);
        var buffer = new byte[DownloadChunkSize];
        int read;
        while ((read = await file.ReadAsync(buffer, context.CancellationToken)) > 0)
        {
            await responseStream.WriteAsync(new DownloadChunk { Data = ByteString.CopyFrom(buffer, 0, read) }, context.CancellationToken);
        }
    }

    /// <summary>
    /// A field this supervisor does not know is most likely a typo or a newer client's option it
    /// would silently ignore: refuse it instead.
    /// </summary>
    private static void RejectUnknownFields(SubmitRequest request)
    {
        var known = SubmitRequest.Parser.WithDiscardUnknownFields(true).ParseFrom(request.ToByteString());
        if (known.CalculateSize() != request.CalculateSize())
        {
            throw RpcErrors.InvalidSpec("spec", "contains fields this supervisor does not know (check the client's proto version)");
        }
    }
}
