using Sandbox.Supervisor.Cli;

namespace Sandbox.Supervisor.Tests.Unit;

public sealed class CommandLineTests
{
    [Fact]
    public void Repeated_roots_become_indexed_settings_with_absolute_paths()
    {
        var args = new CommandLineArguments(["--input-root", "/a", "--input-root", "/b", "--max-concurrent", "3"], new HashSet<string>());

        var settings = ServeCommand.Overrides(args).ToDictionary(kv => kv.Key, kv => kv.Value);

        Assert.Equal("/a", settings["Sandbox:InputRoots:0"]);
        Assert.Equal("/b", settings["Sandbox:InputRoots:1"]);
        Assert.Equal("3", settings["Sandbox:MaxConcurrentSessions"]);
    }

    [Fact]
    public void Fault_injection_is_off_unless_the_flag_is_given()
    {
        var flags = new HashSet<string> { ServeCommand.EnableFaultInjectionFlag };

        var without = ServeCommand.Overrides(new CommandLineArguments(["--max-concurrent", "1"], flags)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var with = ServeCommand.Overrides(new CommandLineArguments(["--enable-fault-injection"], flags)).ToDictionary(kv => kv.Key, kv => kv.Value);

        Assert.DoesNotContain("Sandbox:EnableFaultInjection", without.Keys);
        Assert.False(new Sandbox.Supervisor.Configuration.SupervisorOptions().EnableFaultInjection);
        Assert.Equal("true", with["Sandbox:EnableFaultInjection"]);
    }

    [Fact]
    public void An_unknown_serve_option_is_a_usage_error() =>
        Assert.Throws<UsageException>(() => ServeCommand.Overrides(new CommandLineArguments(["--bogus", "1"], new HashSet<string>())).ToList());

    [Fact]
    public void Flags_options_and_positionals_are_told_apart()
    {
        var args = new CommandLineArguments(["in.mp4", "--json", "--size=640x360", "out.mp4", "--socket", "/s"], new HashSet<string> { "--json" });

        Assert.Equal(["in.mp4", "out.mp4"], args.Positional);
        Assert.True(args.Flag("--json"));
        Assert.Equal("640x360", args.Value("--size"));
        Assert.Equal(["--size", "640x360"], args.Rest("--socket", "--json"));
    }

    [Fact]
    public void A_spec_is_read_with_the_workers_option_syntax()
    {
        var spec = SpecArguments.Parse("/in/a.mov", "/out/a.webm", ["--video", "vp9:800k:640x360", "--audio", "opus:96k"]);

        Assert.Equal(Sandbox.Api.V1.Container.Webm, spec.Output.Container);
        Assert.Equal(Sandbox.Api.V1.VideoCodec.Vp9, spec.Video.Codec);
        Assert.Equal(800_000, spec.Video.Bitrate);
        Assert.Equal(640, spec.Video.Width);
        Assert.Equal(96_000, spec.Audio.Bitrate);
    }
}
