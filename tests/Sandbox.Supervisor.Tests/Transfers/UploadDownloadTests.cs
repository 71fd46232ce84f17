using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Transfers;

/// <summary>
/// Clients without a shared filesystem: Upload an input, transcode it into a download, Download the
/// result. Uploads that lie about their size or checksum, or stop early, are refused with their own
/// reason and leave nothing half-written in the supervisor's upload area.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class UploadDownloadTests(TestClips clips, UploadLimitedSupervisorFixture fixture) : IClassFixture<UploadLimitedSupervisorFixture>, IDisposable
{
    private readonly TempDirectory _downloads = new();
    private readonly byte[] _clip = File.ReadAllBytes(clips.Short);

    private SupervisorProcess Supervisor => fixture.Supervisor;

    private SessionsClient Client => Supervisor.Sessions;

    public void Dispose() => _downloads.Dispose();

    [Fact]
    public async Task Upload_transcode_download_round_trip()
    {
        var sha256 = UploadStream.Sha256(_clip);
        var upload = await UploadStream.SendAsync(Client, UploadStream.Chunks(_clip, _clip.Length, sha256));
        Assert.Matches("^[0-9a-f]{32}$", upload.UploadId);
        Assert.Equal((_clip.Length, sha256), (upload.Size, upload.Sha256));

        var spec = new SessionSpec
        {
            UploadId = upload.UploadId,
            Output = new OutputTarget { Download = true, Container = Container.Mp4 },
            Video = new VideoSettings { Codec = VideoCodec.H264, Preset = "ultrafast" },
            Audio = new AudioSettings { Codec = AudioCodec.Aac },
        };
        var (session, _) = await SessionStreams.RunAsync(Client, spec);
        Assert.Equal(SessionState.Completed, session.State);
        Assert.True(session.DownloadReady);
        Assert.Equal("", session.OutputPath);

        using var call = Client.Download(new DownloadRequest { SessionId = session.Id }, deadline: DateTime.UtcNow + SessionStreams.Timeout);
        var chunks = new List<DownloadChunk>();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            chunks.Add(chunk);
        }

        Assert.True(chunks.Count >= 2, $"expected metadata and data, got {chunks.Count} chunks");
        Assert.Equal(DownloadChunk.PartOneofCase.Metadata, chunks[0].PartCase);
        Assert.All(chunks.Skip(1), c => Assert.Equal(DownloadChunk.PartOneofCase.Data, c.PartCase));
        var bytes = chunks.Skip(1).SelectMany(c => c.Data.ToByteArray()).ToArray();
        var metadata = chunks[0].Metadata;
        Assert.Equal((bytes.LongLength, UploadStream.Sha256(bytes), Container.Mp4), (metadata.Size, metadata.Sha256, metadata.Container));

        var file = _downloads.File("downloaded.mp4");
        await File.WriteAllBytesAsync(file, bytes);
        var probe = await FfprobeReport.ProbeAsync(file);
        Assert.Contains("mp4", probe.FormatName, StringComparison.Ordinal);
        Assert.Equal(("h264", TestClips.Width, TestClips.Height), (probe.Video.CodecName, probe.Video.Width, probe.Video.Height));
        Assert.Equal("aac", probe.Audio.CodecName);
        Assert.InRange(probe.Duration ?? 0, TestClips.ShortSeconds - 0.1, TestClips.ShortSeconds + 0.2);
        AssertOnlyCompletedUploads();
    }

    [Fact]
    public async Task Upload_that_stops_halfway_is_incomplete()
    {
        var half = _clip[..(_clip.Length / 2)];
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, ErrorReason.UploadIncomplete,
            () => UploadStream.SendAsync(Client, UploadStream.Chunks(half, _clip.Length, UploadStream.Sha256(_clip))));
        AssertOnlyCompletedUploads();
    }

    [Fact]
    public async Task Upload_sending_more_than_it_declared_is_too_large()
    {
        var declared = _clip[..100_000];
        await RpcAssert.FailsAsync(
            StatusCode.ResourceExhausted, ErrorReason.UploadTooLarge,
            () => UploadStream.SendAsync(Client, UploadStream.Chunks(_clip, declared.Length, UploadStream.Sha256(declared))));
        AssertOnlyCompletedUploads();
    }

    [Fact]
    public async Task Upload_declaring_more_than_the_limit_is_too_large()
    {
        var big = new byte[UploadLimitedSupervisorFixture.MaxUploadBytes + 1];
        await RpcAssert.FailsAsync(
            StatusCode.ResourceExhausted, ErrorReason.UploadTooLarge,
            () => UploadStream.SendAsync(Client, UploadStream.Chunks(big, big.Length, UploadStream.Sha256(big))));
        AssertOnlyCompletedUploads();
    }

    [Fact]
    public async Task Upload_with_a_wrong_checksum_is_refused()
    {
        var other = UploadStream.Sha256("not the clip"u8);
        await RpcAssert.FailsAsync(
            StatusCode.DataLoss, ErrorReason.ChecksumMismatch,
            () => UploadStream.SendAsync(Client, UploadStream.Chunks(_clip, _clip.Length, other)));
        AssertOnlyCompletedUploads();
    }

    [Fact]
    public async Task Upload_abandoned_by_its_client_leaves_no_partial_file()
    {
        using var abandon = new CancellationTokenSource();
        using (var call = Client.Upload(deadline: DateTime.UtcNow + SessionStreams.Timeout, cancellationToken: abandon.Token))
        {
            foreach (var chunk in UploadStream.Chunks(_clip, _clip.Length, UploadStream.Sha256(_clip)).Take(3))
            {
                await call.RequestStream.WriteAsync(chunk);
            }

            await abandon.CancelAsync();
            await Assert.ThrowsAnyAsync<RpcException>(() => call.ResponseAsync);
        }

        // The server notices the reset asynchronously: its temporary file must go soon after.
        await Poll.UntilAsync(
            () => DirectoryEntries.Of(Supervisor.UploadsDirectory).All(IsCompletedUpload),
            TimeSpan.FromSeconds(10),
            () => $"uploads holds {string.Join(", ", DirectoryEntries.Of(Supervisor.UploadsDirectory))}");
    }

    [Fact]
    public async Task Download_of_a_session_writing_to_a_path_is_not_available()
    {
        var (session, _) = await SessionStreams.RunAsync(Client, Specs.Mp4(Supervisor.AddInput(clips.Short), Supervisor.Output("not-a-download.mp4")));
        Assert.Equal(SessionState.Completed, session.State);
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, ErrorReason.OutputNotAvailable, async () =>
        {
            using var call = Client.Download(new DownloadRequest { SessionId = session.Id }, deadline: DateTime.UtcNow + SessionStreams.Timeout);
            await call.ResponseStream.MoveNext();
        });
    }

    /// <summary>Refused uploads are deleted before the error reaches the client: only completed ones (named by id) remain.</summary>
    private void AssertOnlyCompletedUploads() =>
        Assert.All(DirectoryEntries.Of(Supervisor.UploadsDirectory), name => Assert.True(IsCompletedUpload(name), $"leftover in uploads: {name}"));

    private static bool IsCompletedUpload(string name) => name.Length == 32 && name.All(char.IsAsciiHexDigitLower);
}
