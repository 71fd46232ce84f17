using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Api;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Isolation.Identity;

namespace Sandbox.Supervisor.Storage;

/// <summary>
/// Receives streamed uploads: metadata first (size, SHA-256), then the bytes. The file is written
/// under a temporary name and appears under its id only when size and checksum match.
/// </summary>
internal sealed class UploadStore(StateDirectories directories, WorkerUser workerUser, IOptions<SupervisorOptions> options)
{
    public async Task<UploadResult> ReceiveAsync(IAsyncStreamReader<UploadChunk> chunks, CancellationToken cancellationToken)
    {
        if (!await chunks.MoveNext(cancellationToken) || chunks.Current.PartCase != UploadChunk.PartOneofCase.Metadata)
        {
            throw RpcErrors.InvalidSpec("metadata", "the first chunk of an upload must carry its metadata (size, sha256)");
        }

        var metadata = chunks.Current.Metadata;
        var limit = options.Value.MaxUploadBytes;
        if (metadata.Size <= 0 || metadata.Size > limit)
        {
            throw metadata.Size > limit
                ? RpcErrors.Create(ErrorReason.UploadTooLarge, $"the upload declares {metadata.Size} bytes; the limit is {limit}")
                : RpcErrors.InvalidSpec("metadata.size", "must be positive");
        }

        if (metadata.Sha256.Length != 64 || !metadata.Sha256.All(Uri.IsHexDigit))
        {
            throw RpcErrors.InvalidSpec("metadata.sha256", "must be the 64-digit hex SHA-256 of the content");
        }

        var id = Guid.NewGuid().ToString("N");
        var final = Path.Combine(directories.Uploads, id);
        var partial = final + ".partial";
        try
        {
            long received = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                while (await chunks.MoveNext(cancellationToken))
                {
                    var data = chunks.Current.Data;
                    if (chunks.Current.PartCase != UploadChunk.PartOneofCase.Data)
                    {
                        throw RpcErrors.InvalidSpec("data", "only the first chunk may carry metadata");
                    }

                    received += data.Length;
                    if (received > metadata.Size)
                    {
                        throw RpcErrors.Create(ErrorReason.UploadTooLarge, $"the upload sent more than the {metadata.Size} bytes it declared");
                    }

                    hash.AppendData(data.Span);
                    await file.WriteAsync(data.Memory, cancellationToken);
                }
            }

            if (received != metadata.Size)
            {
                throw RpcErrors.Create(ErrorReason.UploadIncomplete, $"the upload ended after {received} of {metadata.Size} bytes");
            }

            var digest = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(digest, metadata.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw RpcErrors.Create(ErrorReason.ChecksumMismatch, $"the upload's SHA-256 is {digest}, not {metadata.Sha256.ToLowerInvariant()}");
            }

            workerUser.GrantRead(partial);
            File.Move(partial, final);
            return new UploadResult { UploadId = id, Size = received, Sha256 = digest };
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>The stored file of an upload id, or null (ids are 32 hex digits, so they cannot name another path).</summary>
    public string? Find(string uploadId) =>
        uploadId.Length == 32 && uploadId.All(Uri.IsHexDigit) && File.Exists(Path.Combine(directories.Uploads, uploadId))
            ? Path.Combine(directories.Uploads, uploadId)
            : null;
}
