using Grpc.Core;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;

namespace Sandbox.Supervisor.Tests.Hardware;

/// <summary>
/// A session's hardware preference against a real supervisor. These machines have no GPU: the host's
/// own /dev shows the absent case; a device root holding stand-in <c>nvidia0</c> and <c>nvidiactl</c>
/// files makes the supervisor choose NVENC in the gpu-nvidia profile, and the sandboxed worker's real
/// FFmpeg then fails to open it (no CUDA driver) — the hardware error the fallback exists for.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class HardwareTests(TestClips clips, SupervisorFixture fixture) : IClassFixture<SupervisorFixture>
{
    [Fact]
    public async Task Without_a_gpu_status_says_what_was_looked_for_and_required_is_a_failed_precondition()
    {
        var supervisor = fixture.Supervisor;
        var status = await supervisor.Operator.GetStatusAsync(new GetStatusRequest());
        Assert.Empty(status.Hardware);
        Assert.Contains("/dev/nvidia0", status.HardwareLookedFor);
        Assert.Contains("/dev/dri/renderD128", status.HardwareLookedFor);

        var spec = Specs.Mp4(supervisor.AddInput(clips.Short), supervisor.Output("required.mp4"));
        spec.Hardware = HardwarePreference.HardwareRequired;
        var error = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, ErrorReason.HardwareUnavailable, () => supervisor.Sessions.SubmitAsync(new SubmitRequest { Spec = spec }).ResponseAsync);
        Assert.Contains("no GPU device found (/dev/nvidia0, /dev/dri/renderD128 absent)", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_gpu_preferred_runs_in_software_and_says_why()
    {
        var supervisor = fixture.Supervisor;
        var spec = Specs.Mp4(supervisor.AddInput(clips.Short), supervisor.Output("preferred.mp4"));
        spec.Hardware = HardwarePreference.HardwarePreferred;
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, spec);

        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id);
        var trace = SessionStreams.Describe(events);
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, trace);
        var fallback = Assert.Single(events, e => e.Downgraded is not null).Downgraded;
        Assert.Equal("hardware → software encoder", fallback.Step);
        Assert.Equal("hardware PREFERRED, but no GPU device found (/dev/nvidia0, /dev/dri/renderD128 absent)", fallback.Reason);
        Assert.Equal("h264", (await FfprobeReport.ProbeAsync(submitted.OutputPath.Length > 0 ? submitted.OutputPath : spec.Output.Path)).Video.CodecName);
    }

    [Fact]
    public async Task A_gpu_whose_encoder_fails_falls_back_to_software_mid_session_when_preferred()
    {
        using var devices = StandInNvidia();
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(Environment: new Dictionary<string, string> { ["Sandbox__Hardware__DeviceRoot"] = devices.Path }));
        var device = Assert.Single((await supervisor.Operator.GetStatusAsync(new GetStatusRequest())).Hardware);
        Assert.Equal(("nvidia", "/dev/nvidia0", "gpu-nvidia", 8, 0), (device.Kind, device.Path, device.Profile, device.Sessions, device.Leased));
        Assert.Equal(["h264_nvenc", "hevc_nvenc"], device.Encoders);

        var spec = Specs.Mp4(supervisor.AddInput(clips.Short), supervisor.Output("fallback.mp4"));
        spec.Hardware = HardwarePreference.HardwarePreferred;
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, spec);
        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id);
        var trace = SessionStreams.Describe(events);

        // First worker: NVENC on the leased device, in the GPU profile; its open fails for real.
        var running = events.Where(e => e.StateChanged?.State == SessionState.Running).Select(e => e.StateChanged.Detail).ToList();
        Assert.True(running.Count == 2 && running[0].EndsWith(", encoding with h264_nvenc on /dev/nvidia0", StringComparison.Ordinal), trace);
        Assert.DoesNotContain("nvenc", running[1], StringComparison.Ordinal);
        var fallback = Assert.Single(events, e => e.Downgraded is not null).Downgraded;
        Assert.StartsWith("the hardware encoder failed: the hardware encoder h264_nvenc could not be opened", fallback.Reason, StringComparison.Ordinal);
        Assert.True(events[^1].StateChanged?.State == SessionState.Completed, trace);
        Assert.DoesNotContain(events, e => e.WorkerRestarted is not null);

        var session = await SessionStreams.GetAsync(supervisor.Sessions, submitted.Id);
        Assert.Equal("h264", (await FfprobeReport.ProbeAsync(session.OutputPath)).Video.CodecName);
        Assert.Equal(0, Assert.Single((await supervisor.Operator.GetStatusAsync(new GetStatusRequest())).Hardware).Leased);
    }

    [Fact]
    public async Task A_gpu_whose_encoder_fails_fails_the_session_when_required()
    {
        using var devices = StandInNvidia();
        await using var supervisor = await SupervisorProcess.StartAsync(new SupervisorSettings(Environment: new Dictionary<string, string> { ["Sandbox__Hardware__DeviceRoot"] = devices.Path }));
        var spec = Specs.Mp4(supervisor.AddInput(clips.Short), supervisor.Output("required.mp4"));
        spec.Hardware = HardwarePreference.HardwareRequired;
        var submitted = await SessionStreams.SubmitAsync(supervisor.Sessions, spec);

        var events = await SessionStreams.WatchToEndAsync(supervisor.Sessions, submitted.Id);
        var session = await SessionStreams.GetAsync(supervisor.Sessions, submitted.Id);
        Assert.True(session.Failure?.Reason == ErrorReason.HardwareUnavailable, SessionStreams.Describe(events));
        Assert.Contains("h264_nvenc", session.Failure!.Message, StringComparison.Ordinal);
        // FFmpeg's own words, from the sandboxed worker's stderr.
        Assert.Contains("libcuda", session.WorkerStderrTail, StringComparison.Ordinal);
        Assert.False(File.Exists(spec.Output.Path));
    }

    /// <summary>A device root where the NVIDIA nodes the gpu-nvidia profile names "exist" (plain files: nothing can open them as a GPU).</summary>
    private static TempDirectory StandInNvidia()
    {
        var root = new TempDirectory();
        File.WriteAllText(root.File("nvidia0"), "");
        File.WriteAllText(root.File("nvidiactl"), "");
        return root;
    }
}
