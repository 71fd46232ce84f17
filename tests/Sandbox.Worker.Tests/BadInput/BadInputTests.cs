using Sandbox.Worker.Engine;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.BadInput;

/// <summary>
/// Hostile, broken or forbidden inputs and options. Each must fail with the exact reason (and, for
/// INVALID_SPEC, the offending field) and must leave no output or temp file behind.
/// </summary>
[Collection(ClipCollection.Name)]
public sealed class BadInputTests : IDisposable
{
    private readonly ClipLibrary _clips;
    private readonly TempDirectory _work = new();

    /// <summary>Where crafted inputs are written (and the input root of the path tests).</summary>
    private readonly string _inputs;

    /// <summary>Where every output goes; it must still be empty after each failure.</summary>
    private readonly string _outputs;

    public BadInputTests(ClipLibrary clips)
    {
        _clips = clips;
        _inputs = _work.Subdirectory("in");
        _outputs = _work.Subdirectory("out");
    }

    public void Dispose() => _work.Dispose();

    [Fact]
    public Task An_empty_file_is_unsupported() =>
        ExpectFailureAsync(MaliciousInputs.Empty(_inputs), ErrorReason.INPUT_UNSUPPORTED);

    [Fact]
    public Task Random_bytes_are_unsupported() =>
        ExpectFailureAsync(MaliciousInputs.RandomBytes(_inputs), ErrorReason.INPUT_UNSUPPORTED);

    [Fact]
    public Task An_mp4_without_its_moov_box_is_corrupt() =>
        ExpectFailureAsync(MaliciousInputs.TruncatedMp4(_inputs, _clips.Mp4), ErrorReason.INPUT_CORRUPT);

    [Fact]
    public async Task An_hls_playlist_named_mp4_is_refused_by_format()
    {
        var error = await ExpectFailureAsync(MaliciousInputs.HlsPlaylist(_inputs), ErrorReason.INPUT_UNSUPPORTED);

        Assert.Contains("hls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public Task A_concat_list_is_refused() =>
        ExpectFailureAsync(MaliciousInputs.ConcatList(_inputs), ErrorReason.INPUT_UNSUPPORTED);

    [Fact]
    public Task A_directory_is_not_an_input() =>
        ExpectInvalidSpecAsync(_inputs, "input");

    [Fact]
    public Task A_missing_input_is_not_found() =>
        ExpectFailureAsync(_work.File("in/missing.mp4"), ErrorReason.INPUT_NOT_FOUND);

    [Fact]
    public Task An_input_outside_the_input_root_is_not_allowed() =>
        ExpectFailureAsync(_clips.Mp4.Path, ErrorReason.PATH_NOT_ALLOWED, "--input-root", _inputs);

    [Fact]
    public Task A_dot_dot_path_climbing_out_of_the_input_root_is_not_allowed()
    {
        File.Copy(_clips.Mp4.Path, _work.File("outside.mp4"));

        // Left unnormalised on purpose: the worker must see the "..".
        return ExpectFailureAsync($"{_inputs}/../outside.mp4", ErrorReason.PATH_NOT_ALLOWED, "--input-root", _inputs);
    }

    [Fact]
    public Task A_symlink_in_the_input_root_pointing_outside_is_not_allowed()
    {
        var outside = _work.File("outside.mp4");
        File.Copy(_clips.Mp4.Path, outside);
        var link = Path.Combine(_inputs, "link.mp4");
        File.CreateSymbolicLink(link, outside);

        return ExpectFailureAsync(link, ErrorReason.PATH_NOT_ALLOWED, "--input-root", _inputs);
    }

    [Fact]
    public Task An_output_outside_the_output_root_is_not_allowed() =>
        ExpectFailureAsync(_clips.Mp4.Path, ErrorReason.PATH_NOT_ALLOWED, "--output-root", _work.Subdirectory("allowed-out"));

    [Fact]
    public async Task Paths_inside_their_roots_are_allowed()
    {
        // The control for the root tests above: roots restrict, they do not refuse everything.
        var input = Path.Combine(_inputs, "clip.mp4");
        File.Copy(_clips.Mp4.Path, input);
        var output = Path.Combine(_outputs, "out.mp4");

        var result = await WorkerProcess.TranscodeAsync(input, output, "--input-root", _inputs, "--output-root", _outputs);

        WorkerAssert.Succeeded(result);
        Assert.True(File.Exists(output));
    }

    [Theory]
    [InlineData("--video", "h264", "video.codec")]
    [InlineData("--audio", "aac", "audio.codec")]
    [InlineData("--video", "copy", "video.codec")] // The clip's h264, copied, is still h264.
    [InlineData("--audio", "copy", "audio.codec")]
    public Task A_codec_webm_cannot_hold_is_an_invalid_spec(string option, string codec, string field) =>
        ExpectInvalidSpecAsync(_clips.Mp4.Path, field, "out.webm", option, codec);

    [Theory]
    [InlineData("--video-bitrate", "-5", "video.bitrate")]
    [InlineData("--width", "100000", "video.width")]
    [InlineData("--fps", "0", "video.fps")]
    [InlineData("--crf", "99", "video.crf")]
    [InlineData("--channels", "0", "audio.channels")]
    [InlineData("--sample-rate", "1", "audio.sample_rate")]
    [InlineData("--gop", "-1", "video.gop")]
    public Task An_out_of_range_option_is_an_invalid_spec_naming_its_field(string option, string value, string field) =>
        ExpectInvalidSpecAsync(_clips.Mp4.Path, field, "out.mp4", option, value);

    [Fact]
    public async Task Dropping_both_streams_is_an_invalid_spec()
    {
        var result = await WorkerProcess.TranscodeAsync(_clips.Mp4.Path, Path.Combine(_outputs, "out.mp4"), "--no-video", "--no-audio");

        var error = WorkerAssert.Failed(result, WorkerExitCode.Usage, ErrorReason.INVALID_SPEC);
        Assert.NotEmpty(error.Violations);
        AssertNoOutput();
    }

    [Fact]
    public Task A_header_claiming_16384x16384_exceeds_the_decoder_limit()
    {
        var huge = Path.Combine(_inputs, "huge.avi");
        MjpegAviPatcher.Patch(_clips.TinyMjpegAvi.Path, huge, 16384, 16384);

        return ExpectFailureAsync(huge, ErrorReason.INPUT_LIMIT_EXCEEDED);
    }

    [Fact]
    public Task A_deadline_that_has_passed_stops_the_transcode() =>
        ExpectFailureAsync(_clips.Mp4.Path, ErrorReason.DEADLINE_EXCEEDED, "--deadline", "1ms");

    /// <summary>Transcodes to out/out.mp4 and expects exit code 1 with <paramref name="reason"/> and an empty out/.</summary>
    private async Task<WorkerError> ExpectFailureAsync(string input, ErrorReason reason, params string[] options)
    {
        var result = await WorkerProcess.TranscodeAsync(input, Path.Combine(_outputs, "out.mp4"), options);

        var error = WorkerAssert.Failed(result, WorkerExitCode.Failed, reason);
        AssertNoOutput();
        return error;
    }

    private async Task ExpectInvalidSpecAsync(string input, string field, string outputName = "out.mp4", params string[] options)
    {
        var result = await WorkerProcess.TranscodeAsync(input, Path.Combine(_outputs, outputName), options);

        WorkerAssert.InvalidSpec(result, field);
        AssertNoOutput();
    }

    /// <summary>Neither the output nor the worker's temp file (a dot file) may exist after a failure.</summary>
    private void AssertNoOutput() => Assert.Empty(_work.EntryNames(_outputs));
}
