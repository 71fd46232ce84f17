using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Memory;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>The memory estimate, the limits it gives a worker, and the admission rule, on probed inputs as workers report them.</summary>
public sealed class AdmissionTests
{
    private const long MiB = 1 << 20;
    private static readonly EstimateOptions Options = new();

    private static ProbeResult Probe(int width, int height, string codec = "h264", int? outHeight = null) => new()
    {
        Input = new VideoFormat { Width = width, Height = height, FrameRate = new Rational { Numerator = 30, Denominator = 1 } },
        InputCodec = codec,
        Output = new VideoFormat
        {
            Width = outHeight is { } h ? width * h / height : width,
            Height = outHeight ?? height,
            FrameRate = new Rational { Numerator = 30, Denominator = 1 },
        },
    };

    [Fact]
    public void The_estimate_is_the_base_plus_pixels_decoded_and_encoded_at_their_codecs_factors()
    {
        // 1080p H.264 → H.264: 96 MiB + 2,073,600 px × (18 + 215) B.
        Assert.Equal(Options.BaseBytes + (long)(1920 * 1080 * (18 + 215.0)), MemoryEstimate.Bytes(Probe(1920, 1080), VideoCodec.H264, null, Options));

        // Measured on this machine (README "Memory governance"): 555 MiB peak for that encode, 1805 MiB for 2160p.
        Assert.InRange(MemoryEstimate.Bytes(Probe(1920, 1080), VideoCodec.H264, null, Options) / MiB, 520, 620);
        Assert.InRange(MemoryEstimate.Bytes(Probe(3840, 2160), VideoCodec.H264, null, Options) / MiB, 1750, 2100);

        // An unknown input codec takes the conservative factor; VP9 encodes cheaper than x264's default.
        Assert.True(MemoryEstimate.Bytes(Probe(1920, 1080, "mpeg2video"), VideoCodec.H264, null, Options) > MemoryEstimate.Bytes(Probe(1920, 1080), VideoCodec.H264, null, Options));
        Assert.True(MemoryEstimate.Bytes(Probe(1920, 1080), VideoCodec.Vp9, null, Options) < MemoryEstimate.Bytes(Probe(1920, 1080), VideoCodec.H264, null, Options));

        // Copied video and inputs without video need the runtime only.
        Assert.Equal(Options.BaseBytes, MemoryEstimate.Bytes(Probe(3840, 2160), VideoCodec.Copy, null, Options));
        Assert.Equal(Options.BaseBytes, MemoryEstimate.Bytes(new ProbeResult(), VideoCodec.H264, null, Options));
    }

    [Fact]
    public void The_ladders_rungs_lower_the_estimate_as_the_output_shrinks_and_the_encoder_gets_cheaper()
    {
        var probe = Probe(1920, 1080);
        var full = MemoryEstimate.Bytes(probe, VideoCodec.H264, null, Options);
        var fps = MemoryEstimate.Bytes(probe, VideoCodec.H264, new Adjustment { MaxFps = new Rational { Numerator = 15, Denominator = 1 } }, Options);
        var half = MemoryEstimate.Bytes(probe, VideoCodec.H264, new Adjustment { MaxHeight = 540 }, Options);
        var cheap = MemoryEstimate.Bytes(probe, VideoCodec.H264, new Adjustment { MaxHeight = 540, Preset = "ultrafast", Threads = 1, Lookahead = 0 }, Options);

        // The frame rate does not change the peak (measured), a quarter of the pixels nearly quarters the encoder's share.
        Assert.Equal(full, fps);
        Assert.Equal(Options.BaseBytes + (long)(1920 * 1080 * 18.0 + 960 * 540 * 215.0), half);
        Assert.Equal(Options.BaseBytes + (long)(1920 * 1080 * 18.0 + 960 * 540 * 30.0), cheap);
        Assert.True(full > half && half > cheap);

        // A cap above the output changes nothing.
        Assert.Equal(full, MemoryEstimate.Bytes(probe, VideoCodec.H264, new Adjustment { MaxHeight = 2160 }, Options));
    }

    [Fact]
    public void Worker_limits_give_headroom_over_the_estimate_within_the_minimum_and_the_profile()
    {
        Assert.Equal((900 * MiB, 1200 * MiB), MemoryEstimate.Limits(600 * MiB, 0, 0, Options));
        Assert.Equal((900 * MiB, 1024 * MiB), MemoryEstimate.Limits(600 * MiB, 1024 * MiB, 0, Options));
        Assert.Equal((768 * MiB, 1024 * MiB), MemoryEstimate.Limits(600 * MiB, 1024 * MiB, 768 * MiB, Options));
        Assert.Equal((384 * MiB, 384 * MiB), MemoryEstimate.Limits(100 * MiB, 2048 * MiB, 1536 * MiB, Options));
        Assert.Equal((96 * MiB, 96 * MiB), MemoryEstimate.Limits(600 * MiB, 96 * MiB, 96 * MiB, Options));
    }

    private static readonly List<(Rung, Adjustment?, long)> Ladder =
    [
        (Rung.Full, null, 600 * MiB),
        (Rung.FrameRate, new Adjustment { MaxFps = new Rational { Numerator = 15, Denominator = 1 } }, 600 * MiB),
        (Rung.Resolution, new Adjustment { MaxHeight = 540 }, 250 * MiB),
        (Rung.Encoder, new Adjustment { MaxHeight = 540, Preset = "ultrafast" }, 150 * MiB),
    ];

    [Fact]
    public void A_session_starts_on_the_first_rung_that_fits_what_is_free_and_its_profile()
    {
        Assert.Equal((AdmissionVerdict.Admit, Rung.Full), Verdict(AdmissionPolicy.Decide(Ladder, free: 1000 * MiB, budget: 4000 * MiB, profileMax: 0, othersBusy: true)));

        var lower = AdmissionPolicy.Decide(Ladder, free: 300 * MiB, budget: 4000 * MiB, profileMax: 0, othersBusy: true);
        Assert.Equal((AdmissionVerdict.Admit, Rung.Resolution, 250 * MiB), (lower.Verdict, lower.Rung, lower.Estimate));
        Assert.Equal(540, lower.Adjustment!.MaxHeight);
        Assert.Contains("600 MiB at the spec's settings", lower.Reason, StringComparison.Ordinal);

        // The profile's limit weighs as much as the budget: a 200 MiB profile cannot hold 250 MiB.
        Assert.Equal((AdmissionVerdict.Admit, Rung.Encoder), Verdict(AdmissionPolicy.Decide(Ladder, free: 1000 * MiB, budget: 4000 * MiB, profileMax: 200 * MiB, othersBusy: false)));
    }

    [Fact]
    public void A_session_that_fits_the_budget_but_not_what_is_free_waits_and_one_that_never_fits_is_refused()
    {
        var wait = AdmissionPolicy.Decide(Ladder, free: 100 * MiB, budget: 400 * MiB, profileMax: 0, othersBusy: true);
        Assert.Equal((AdmissionVerdict.Wait, Rung.Encoder), Verdict(wait));
        Assert.Contains("waits for running sessions to end", wait.Reason, StringComparison.Ordinal);

        // With nothing running to wait for (only idle warm workers hold memory), it starts as cheap as it gets.
        Assert.Equal((AdmissionVerdict.Admit, Rung.Encoder), Verdict(AdmissionPolicy.Decide(Ladder, free: 100 * MiB, budget: 400 * MiB, profileMax: 0, othersBusy: false)));

        // Over its profile's limit even on the cheapest rung, but within what is free: started cheap, the governor watches.
        Assert.Equal((AdmissionVerdict.Admit, Rung.Encoder), Verdict(AdmissionPolicy.Decide(Ladder, free: 1000 * MiB, budget: 4000 * MiB, profileMax: 100 * MiB, othersBusy: true)));

        var refused = AdmissionPolicy.Decide(Ladder, free: 100 * MiB, budget: 120 * MiB, profileMax: 0, othersBusy: true);
        Assert.Equal((AdmissionVerdict.Refuse, Rung.Encoder), Verdict(refused));
        Assert.Contains("more than the whole 120 MiB memory budget", refused.Reason, StringComparison.Ordinal);
    }

    private static (AdmissionVerdict, Rung) Verdict(AdmissionDecision decision) => (decision.Verdict, decision.Rung);
}
