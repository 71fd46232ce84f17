using HardwarePreference = Sandbox.Api.V1.HardwarePreference;
using Sandbox.Supervisor.Hardware;
using EngineCodec = Sandbox.Worker.Engine.VideoCodec;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>Which encoder a session gets for its hardware preference, the devices present and their free sessions.</summary>
public sealed class HardwareSelectorTests
{
    private static readonly HardwareDevice Nvidia = new(HardwareKind.Nvidia, "/dev/nvidia0", "gpu-nvidia", 2);
    private static readonly HardwareDevice Render = new(HardwareKind.Vaapi, "/dev/dri/renderD128", "gpu-vaapi", 4);
    private static readonly string[] LookedFor = ["/dev/nvidia0", "/dev/dri/renderD128"];

    [Fact]
    public void Off_or_no_video_encode_is_software_without_a_word()
    {
        Assert.Same(HardwareChoice.Off, Choose(HardwarePreference.HardwareOff, EngineCodec.H264, [Nvidia]));
        Assert.Same(HardwareChoice.Off, Choose(HardwarePreference.HardwareRequired, null, [Nvidia]));
        Assert.Same(HardwareChoice.Off, Choose(HardwarePreference.HardwareRequired, EngineCodec.Copy, [Nvidia]));
    }

    [Theory]
    [InlineData(EngineCodec.H264, "h264_nvenc")]
    [InlineData(EngineCodec.Hevc, "hevc_nvenc")]
    public void Preferred_with_an_nvidia_device_uses_nvenc_in_its_profile(EngineCodec codec, string encoder)
    {
        var choice = Choose(HardwarePreference.HardwarePreferred, codec, [Render, Nvidia]);

        Assert.Equal((HardwareVerdict.Hardware, encoder, "gpu-nvidia"), (choice.Verdict, choice.Encoder, choice.Device?.Profile));
    }

    [Fact]
    public void Without_devices_preferred_falls_back_and_required_is_refused_saying_what_was_looked_for()
    {
        var preferred = Choose(HardwarePreference.HardwarePreferred, EngineCodec.H264, []);
        var required = Choose(HardwarePreference.HardwareRequired, EngineCodec.H264, []);

        Assert.Equal(HardwareVerdict.Software, preferred.Verdict);
        Assert.Equal(HardwareVerdict.Refuse, required.Verdict);
        Assert.Equal("no GPU device found (/dev/nvidia0, /dev/dri/renderD128 absent)", required.Reason);
    }

    [Theory]
    [InlineData(EngineCodec.Vp9)]
    [InlineData(EngineCodec.Av1)]
    public void A_codec_no_device_encodes_is_software_or_refused(EngineCodec codec)
    {
        var choice = Choose(HardwarePreference.HardwareRequired, codec, [Nvidia, Render]);

        Assert.Equal(HardwareVerdict.Refuse, choice.Verdict);
        Assert.Contains("no hardware encoder for", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Vaapi_alone_is_not_used_yet()
    {
        var choice = Choose(HardwarePreference.HardwarePreferred, EngineCodec.H264, [Render]);

        Assert.Equal(HardwareVerdict.Software, choice.Verdict);
        Assert.Contains("VAAPI encoding is not supported by the worker yet", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_encoder_missing_from_the_build_is_not_chosen()
    {
        var choice = HardwareSelector.Choose(HardwarePreference.HardwarePreferred, EngineCodec.H264, "", [Nvidia], LookedFor, _ => true, _ => false);

        Assert.Equal(HardwareVerdict.Software, choice.Verdict);
    }

    [Fact]
    public void A_profile_named_by_the_session_must_be_the_devices()
    {
        Assert.Equal(HardwareVerdict.Hardware, Choose(HardwarePreference.HardwareRequired, EngineCodec.H264, [Nvidia], profile: "gpu-nvidia").Verdict);
        var strict = Choose(HardwarePreference.HardwareRequired, EngineCodec.H264, [Nvidia], profile: "strict");
        Assert.Equal(HardwareVerdict.Refuse, strict.Verdict);
        Assert.Contains("profile 'strict' exposes none of the GPUs present", strict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_every_session_leased_preferred_falls_back_and_required_waits()
    {
        var sessions = new EncoderSessions();
        using var first = sessions.TryLease(Nvidia);
        using var second = sessions.TryLease(Nvidia);

        var preferred = Choose(HardwarePreference.HardwarePreferred, EngineCodec.H264, [Nvidia], sessions);
        var required = Choose(HardwarePreference.HardwareRequired, EngineCodec.H264, [Nvidia], sessions);

        Assert.Equal((HardwareVerdict.Software, HardwareVerdict.Wait), (preferred.Verdict, required.Verdict));
        Assert.Equal("every encoder session is in use (/dev/nvidia0: 2)", required.Reason);
    }

    [Fact]
    public void Leases_are_capped_per_device_and_returned_once()
    {
        var sessions = new EncoderSessions();
        var first = sessions.TryLease(Nvidia);
        var second = sessions.TryLease(Nvidia);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(sessions.TryLease(Nvidia));
        Assert.NotNull(sessions.TryLease(Render));

        first!.Dispose();
        first.Dispose();
        Assert.Equal(1, sessions.Leased(Nvidia));
        Assert.True(sessions.HasFree(Nvidia));
        second!.Dispose();
        Assert.Equal(0, sessions.Leased(Nvidia));
    }

    [Fact]
    public async Task Concurrent_leases_never_exceed_the_cap()
    {
        var sessions = new EncoderSessions();
        var device = Nvidia with { Sessions = 3 };
        var held = 0;
        var most = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                using var lease = sessions.TryLease(device);
                if (lease is not null)
                {
                    var now = Interlocked.Increment(ref held);
                    InterlockedMax(ref most, now);
                    await Task.Yield();
                    Interlocked.Decrement(ref held);
                }
            }
        })));

        Assert.InRange(most, 1, 3);
        Assert.Equal(0, sessions.Leased(device));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    private static HardwareChoice Choose(HardwarePreference preference, EngineCodec? codec, HardwareDevice[] devices, EncoderSessions? sessions = null, string profile = "") =>
        HardwareSelector.Choose(preference, codec, profile, devices, LookedFor, (sessions ?? new EncoderSessions()).HasFree, _ => true);
}
