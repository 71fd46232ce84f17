using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Transfers;

/// <summary>Client side of Upload: metadata first, then the bytes in chunks, honestly or not.</summary>
public static class UploadStream
{
    private const int ChunkSize = 64 * 1024;

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The chunks of an upload that declares <paramref name="size"/> and <paramref name="sha256"/> and sends <paramref name="content"/>.</summary>
    public static IEnumerable<UploadChunk> Chunks(byte[] content, long size, string sha256)
    {
        yield return new UploadChunk { Metadata = new UploadMetadata { FileName = "clip.mp4", Size = size, Sha256 = sha256 } };
        for (var offset = 0; offset < content.Length; offset += ChunkSize)
        {
            yield return new UploadChunk { Data = ByteString.CopyFrom(content, offset, Math.Min(ChunkSize, content.Length - offset)) };
        }
    }

    /// <summary>Sends the chunks, completes the stream and returns the supervisor's answer (which throws for a refused upload).</summary>
    public static async Task<UploadResult> SendAsync(SessionsClient client, IEnumerable<UploadChunk> chunks)
    {
        using var call = client.Upload(deadline: DateTime.UtcNow + SessionStreams.Timeout);
        try
        {
            foreach (var chunk in chunks)
            {
                await call.RequestStream.WriteAsync(chunk);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The supervisor refused the upload before the client finished sending; its status is in the response.
        }

        return await call.ResponseAsync;
    }
}
