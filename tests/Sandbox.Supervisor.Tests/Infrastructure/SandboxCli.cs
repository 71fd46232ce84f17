namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>Runs the <c>sandbox</c> command line (<c>dotnet sandbox.dll …</c>) as an operator would.</summary>
public static class SandboxCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static Task<ChildProcessResult> RunAsync(params string[] arguments) =>
        ChildProcess.RunAsync(SandboxBinaries.DotnetHost, [SandboxBinaries.SupervisorAssembly, .. arguments], Timeout);
}
