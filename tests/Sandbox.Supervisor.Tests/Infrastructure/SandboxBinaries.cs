namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>Where the supervisor executable is and what runs it.</summary>
public static class SandboxBinaries
{
    /// <summary>
    /// The project reference copies sandbox.dll with its runtimeconfig and deps files (and the worker it
    /// starts) next to the tests, so the supervisor under test is always the one just built.
    /// </summary>
    public static string SupervisorAssembly => Path.Combine(AppContext.BaseDirectory, "sandbox.dll");

    /// <summary>
    /// The command that starts a supervisor for a test: the <c>sandbox</c> executable named by
    /// <c>SANDBOX_TEST_SUPERVISOR</c> (the published Native AOT build: the cgroup v2 VM runs its tests
    /// against it, since JIT start-up under software emulation costs seconds per process), else the
    /// one just built, under dotnet.
    /// </summary>
    public static IReadOnlyList<string> SupervisorCommand =>
        Environment.GetEnvironmentVariable("SANDBOX_TEST_SUPERVISOR") is { Length: > 0 } executable
            ? [executable]
            : [DotnetHost, SupervisorAssembly];

    /// <summary><c>dotnet test</c> names the host it runs under; plain <c>dotnet</c> from PATH otherwise.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
