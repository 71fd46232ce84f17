using Microsoft.Extensions.Configuration;
using Sandbox.Supervisor.Configuration;

namespace Sandbox.Supervisor.Tests.Unit;

public sealed class SupervisorOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid() =>
        Assert.True(new SupervisorOptionsValidator().Validate(null, new SupervisorOptions()).Succeeded);

    [Fact]
    public void The_memory_policy_constants_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Sandbox:Memory:SampleInterval"] = "00:00:00.500",
                ["Sandbox:Memory:PressureIndex:Decay"] = "0.9",
                ["Sandbox:Memory:DualSource:Trip"] = "0.5",
                ["Sandbox:Memory:Threshold:Alpha"] = "0.7",
                ["Sandbox:Memory:Ladder:DowngradeAt"] = "0.45",
            })
            .Build();
        var options = configuration.GetSection(SupervisorOptions.Section).Get<SupervisorOptions>()!;
        Assert.Equal(
            (TimeSpan.FromMilliseconds(500), 0.9, 0.5, 0.7, 0.45),
            (options.Memory.SampleInterval, options.Memory.PressureIndex.Decay, options.Memory.DualSource.Trip, options.Memory.Threshold.Alpha, options.Memory.Ladder.DowngradeAt));
        Assert.Equal(0.6, options.Memory.PressureIndex.UsageWeight);
    }

    [Fact]
    public void Every_bad_setting_is_named()
    {
        var options = new SupervisorOptions
        {
            Socket = "relative.sock",
            TcpPort = 70000,
            MaxConcurrentSessions = 0,
            InputRoots = ["/nonexistent-root"],
            WorkerPath = "/nonexistent/worker",
        };

        var failures = new SupervisorOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("Sandbox:Socket", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Sandbox:TcpPort", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Sandbox:MaxConcurrentSessions", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("/nonexistent-root", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Sandbox:WorkerPath", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("auto", true)]
    [InlineData("v2", true)]
    [InlineData("v1", true)]
    [InlineData("delegated", true)]
    [InlineData("none", true)]
    [InlineData("v3", false)]
    public void The_cgroup_driver_is_auto_v2_v1_delegated_or_none(string driver, bool valid) =>
        Assert.Equal(valid, new SupervisorOptionsValidator().Validate(null, new SupervisorOptions { CgroupDriver = driver }).Succeeded);

    [Theory]
    [InlineData(9464, 7300, "127.0.0.1", "text", true)]
    [InlineData(9464, 9464, "127.0.0.1", "text", false)]
    [InlineData(70000, 0, "127.0.0.1", "text", false)]
    [InlineData(9464, 7300, "0.0.0.0", "json", true)]
    [InlineData(0, 7300, "localhost", "text", false)]
    [InlineData(0, 0, "127.0.0.1", "xml", false)]
    public void Metrics_and_tcp_listeners_and_the_log_format_are_checked(int metricsPort, int tcpPort, string address, string logFormat, bool valid) =>
        Assert.Equal(valid, new SupervisorOptionsValidator().Validate(null, new SupervisorOptions { MetricsPort = metricsPort, TcpPort = tcpPort, TcpAddress = address, LogFormat = logFormat }).Succeeded);
}
