using Sandbox.Supervisor.Isolation.Cgroups;

namespace Sandbox.Supervisor.Tests.Unit;

public sealed class PressureStallTests
{
    [Fact]
    public void Both_lines_of_memory_pressure_are_read()
    {
        var stall = PressureStall.Parse("""
            some avg10=1.25 avg60=0.50 avg300=0.10 total=123456
            full avg10=0.75 avg60=0.20 avg300=0.05 total=7890

            """);

        Assert.Equal(new PressureStall(1.25, 0.75, TimeSpan.FromMicroseconds(123456), TimeSpan.FromMicroseconds(7890)), stall);
    }

    [Fact]
    public void A_kernel_with_only_the_some_line_gives_zero_for_full()
    {
        var stall = PressureStall.Parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=42\n");

        Assert.Equal(new PressureStall(0, 0, TimeSpan.FromMicroseconds(42), TimeSpan.Zero), stall);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("full avg10=1.00 total=5")]
    public void Text_without_a_some_line_is_no_reading(string text) => Assert.Null(PressureStall.Parse(text));
}
