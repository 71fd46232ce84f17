using Google.Protobuf;
using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Api;

/// <summary>
/// Specs that must be refused at Submit, before any worker starts: each with its exact status code,
/// its google.rpc.ErrorInfo reason and, for a bad field, a google.rpc.BadRequest violation naming it.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class SubmitValidationTests(TestClips clips, SupervisorFixture fixture) : IClassFixture<SupervisorFixture>
{
    private SupervisorProcess Supervisor => fixture.Supervisor;

    private SessionsClient Client => Supervisor.Sessions;

    private string Input => Supervisor.AddInput(clips.Short);

    /// <summary>A real clip right next to the input root, but outside it: what path tricks try to reach.</summary>
    private string Outside
    {
        get
        {
            var path = Path.Combine(Supervisor.Directory, "outside.mp4");
            if (!File.Exists(path))
            {
                File.Copy(clips.Short, path);
            }

            return path;
        }
    }

    [Fact]
    public async Task Missing_input_is_an_invalid_spec()
    {
        var spec = Specs.Mp4(Input, Supervisor.Output("x.mp4"));
        spec.ClearInput();
        await SubmitFailsAsync(spec, StatusCode.InvalidArgument, ErrorReason.InvalidSpec, "input_path");
    }

    [Fact]
    public async Task Input_that_does_not_exist_is_not_found() =>
        await SubmitFailsAsync(
            Specs.Mp4(Path.Combine(Supervisor.InputRoot, "missing.mp4"), Supervisor.Output("x.mp4")), StatusCode.NotFound, ErrorReason.InputNotFound);

    [Fact]
    public async Task Input_escaping_the_root_with_dot_dot_is_not_allowed() =>
        await SubmitFailsAsync(
            Specs.Mp4($"{Supervisor.InputRoot}/../{Path.GetFileName(Outside)}", Supervisor.Output("x.mp4")), StatusCode.PermissionDenied, ErrorReason.PathNotAllowed);

    [Fact]
    public async Task Input_symlink_pointing_outside_the_root_is_not_allowed()
    {
        var link = Path.Combine(Supervisor.InputRoot, "link-outside.mp4");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, Outside);
        }

        await SubmitFailsAsync(Specs.Mp4(link, Supervisor.Output("x.mp4")), StatusCode.PermissionDenied, ErrorReason.PathNotAllowed);
    }

    /// <summary>Workers run as an unprivileged user: an input only root can read is refused at Submit, saying why.</summary>
    [Fact]
    public async Task Input_the_worker_user_cannot_read_is_not_allowed()
    {
        var secret = Path.Combine(Supervisor.InputRoot, "owner-only.mp4");
        File.Copy(clips.Short, secret, overwrite: true);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = await SubmitFailsAsync(Specs.Mp4(secret, Supervisor.Output("x.mp4")), StatusCode.PermissionDenied, ErrorReason.PathNotAllowed);

        Assert.Contains("not readable by the worker user (65534:65534)", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_in_a_directory_the_worker_user_cannot_reach_is_not_allowed()
    {
        var closed = Path.Combine(Supervisor.OutputRoot, "owner-only");
        Directory.CreateDirectory(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var error = await SubmitFailsAsync(Specs.Mp4(Input, Path.Combine(closed, "x.mp4")), StatusCode.PermissionDenied, ErrorReason.PathNotAllowed);

        Assert.Contains("cannot reach", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("outside")]
    [InlineData("/etc/passwd")]
    public async Task Absolute_input_path_elsewhere_is_not_allowed(string path) =>
        await SubmitFailsAsync(
            Specs.Mp4(path == "outside" ? Outside : path, Supervisor.Output("x.mp4")), StatusCode.PermissionDenied, ErrorReason.PathNotAllowed);

    [Fact]
    public async Task Output_outside_the_output_root_is_not_allowed()
    {
        await SubmitFailsAsync(Specs.Mp4(Input, Path.Combine(Supervisor.Directory, "escaped.mp4")), StatusCode.PermissionDenied, ErrorReason.PathNotAllowed);
        await SubmitFailsAsync(Specs.Mp4(Input, $"{Supervisor.OutputRoot}/../escaped.mp4"), StatusCode.PermissionDenied, ErrorReason.PathNotAllowed);
        Assert.False(File.Exists(Path.Combine(Supervisor.Directory, "escaped.mp4")));
    }

    /// <summary>
    /// The supervisor's own upload and download areas are roots for the worker, but a client naming
    /// them by path could read any upload and overwrite another session's download.
    /// </summary>
    [Fact]
    public async Task Paths_into_the_supervisors_own_areas_are_not_allowed()
    {
        var upload = Path.Combine(Supervisor.UploadsDirectory, "0123456789abcdef0123456789abcdef");
        File.Copy(clips.Short, upload, overwrite: true);
        try
        {
            await SubmitFailsAsync(Specs.Mp4(upload, Supervisor.Output("x.mp4")), StatusCode.PermissionDenied, ErrorReason.PathNotAllowed);
        }
        finally
        {
            File.Delete(upload);
        }

        var download = Path.Combine(Supervisor.StateDirectory, "downloads", "s-0000000000000000.mp4");
        await SubmitFailsAsync(Specs.Mp4(Input, download), StatusCode.PermissionDenied, ErrorReason.PathNotAllowed);
    }

    [Fact]
    public async Task An_unknown_sandbox_profile_is_an_invalid_spec()
    {
        var spec = Specs.Mp4(Input, Supervisor.Output("x.mp4"));
        spec.Profile = "no-such-profile";
        await SubmitFailsAsync(spec, StatusCode.InvalidArgument, ErrorReason.InvalidSpec, "profile");
    }

    [Fact]
    public async Task H264_in_webm_is_an_invalid_video_codec()
    {
        var spec = Specs.Mp4(Input, Supervisor.Output("x.webm"));
        spec.Output.Container = Container.Webm;
        spec.Audio.Codec = AudioCodec.Opus;
        await SubmitFailsAsync(spec, StatusCode.InvalidArgument, ErrorReason.InvalidSpec, "video.codec");
    }

    [Fact]
    public async Task Absurd_width_is_an_invalid_spec()
    {
        var spec = Specs.Mp4(Input, Supervisor.Output("x.mp4"));
        spec.Video.Width = 100_000;
        await SubmitFailsAsync(spec, StatusCode.InvalidArgument, ErrorReason.InvalidSpec, "video.width");
    }

    [Fact]
    public async Task Unknown_fields_are_an_invalid_spec()
    {
        var valid = new SubmitRequest { Spec = Specs.Mp4(Input, Supervisor.Output("x.mp4")) };

        // Field 999 is in no version of the proto: a newer client's option or a typo the supervisor must not ignore.
        await SubmitFailsAsync(WithUnknownField(valid), StatusCode.InvalidArgument, ErrorReason.InvalidSpec);

        // The same inside the spec: a nested unknown field counts as much as a top-level one.
        var nested = valid.Clone();
        nested.Spec = SessionSpec.Parser.ParseFrom(WithUnknownField(valid.Spec).ToByteArray());
        await SubmitFailsAsync(nested, StatusCode.InvalidArgument, ErrorReason.InvalidSpec);
    }

    [Fact]
    public async Task Upload_id_that_does_not_exist_is_not_found()
    {
        foreach (var id in new[] { "0123456789abcdef0123456789abcdef", "../../../etc/passwd" })
        {
            var spec = Specs.Mp4(Input, Supervisor.Output("x.mp4"));
            spec.UploadId = id;
            await SubmitFailsAsync(spec, StatusCode.NotFound, ErrorReason.UploadNotFound);
        }
    }

    [Fact]
    public async Task Refused_specs_create_no_session_and_no_output()
    {
        var before = (await Client.ListAsync(new ListSessionsRequest { PageSize = 500 }, deadline: DateTime.UtcNow.AddSeconds(10))).Sessions.Count;
        var spec = Specs.Mp4(Input, Supervisor.Output("refused.mp4"));
        spec.Video.Width = 100_000;
        await SubmitFailsAsync(spec, StatusCode.InvalidArgument, ErrorReason.InvalidSpec, "video.width");

        var after = (await Client.ListAsync(new ListSessionsRequest { PageSize = 500 }, deadline: DateTime.UtcNow.AddSeconds(10))).Sessions.Count;
        Assert.Equal(before, after);
        Assert.False(File.Exists(Supervisor.Output("refused.mp4")));
    }

    private Task<RpcException> SubmitFailsAsync(SessionSpec spec, StatusCode code, ErrorReason reason, string? field = null) =>
        SubmitFailsAsync(new SubmitRequest { Spec = spec }, code, reason, field);

    private Task<RpcException> SubmitFailsAsync(SubmitRequest request, StatusCode code, ErrorReason reason, string? field = null) =>
        RpcAssert.FailsAsync(code, reason, () => Client.SubmitAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync, field);

    /// <summary>
    /// The message's bytes plus field 999 (varint 1), parsed back: protobuf keeps what it does not know
    /// as unknown fields and writes them out again, so the supervisor receives them on the wire.
    /// </summary>
    private static T WithUnknownField<T>(T message)
        where T : IMessage<T>, new()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        message.WriteTo(output);
        output.WriteTag(999, WireFormat.WireType.Varint);
        output.WriteInt32(1);
        output.Flush();
        var parsed = new MessageParser<T>(() => new T()).ParseFrom(buffer.ToArray());
        Assert.NotEqual(message.CalculateSize(), parsed.CalculateSize());
        return parsed;
    }
}
