using Sandbox.Worker.Interop.Seccomp;

namespace Sandbox.Worker.Tests.Interop;

/// <summary>
/// What the installer refuses before it asks the kernel, so a bad program never half-applies. (Installing
/// a real program is tested from a sandboxed worker in the supervisor's LockdownTests: doing it here would
/// filter the test runner itself.)
/// </summary>
public sealed class SeccompFilterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData((SeccompFilter.MaxInstructions + 1) * SeccompFilter.InstructionSize)]
    public void A_program_of_the_wrong_size_is_refused_and_nothing_is_installed(int length)
    {
        var before = SeccompFilters();

        var error = Assert.Throws<SeccompInstallException>(() => SeccompFilter.Install(new byte[length]));

        Assert.Contains($"{length} bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, SeccompFilters());
    }

    private static string SeccompFilters() =>
        File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("Seccomp_filters:", StringComparison.Ordinal));
}
