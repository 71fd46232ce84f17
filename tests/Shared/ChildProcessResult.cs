namespace Sandbox.Tests.Shared;

/// <summary>What a finished child process left behind: its exit code and everything it printed.</summary>
public sealed record ChildProcessResult(int ExitCode, string StandardOutput, string StandardError);
