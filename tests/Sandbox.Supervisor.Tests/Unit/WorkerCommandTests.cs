using Sandbox.Supervisor.Workers;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>Which worker a supervisor starts by default: the native AOT one when published, the JIT build's dll otherwise.</summary>
public sealed class WorkerCommandTests
{
    [Fact]
    public void A_native_worker_without_a_dll_beside_it_is_the_published_aot_build()
    {
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File("sandbox-worker"), [0x7f, (byte)'E', (byte)'L', (byte)'F']);

        Assert.Equal(directory.File("sandbox-worker"), WorkerCommand.FindBesideSupervisor(directory.Path));
    }

    [Fact]
    public void A_jit_build_runs_its_dll_even_though_it_has_an_apphost()
    {
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File("sandbox-worker"), [0x7f, (byte)'E', (byte)'L', (byte)'F']);
        File.WriteAllBytes(directory.File("sandbox-worker.dll"), [(byte)'M', (byte)'Z']);

        Assert.Equal(directory.File("sandbox-worker.dll"), WorkerCommand.FindBesideSupervisor(directory.Path));
    }

    [Fact]
    public void With_neither_the_dll_is_named_so_the_start_up_error_says_what_is_missing()
    {
        using var directory = new TempDirectory();

        Assert.Equal(directory.File("sandbox-worker.dll"), WorkerCommand.FindBesideSupervisor(directory.Path));
    }
}
