using Sandbox.Worker.Engine;
using Xunit.Sdk;

namespace Sandbox.Worker.Tests.Media;

/// <summary>Assertions on a worker run that print the worker's whole output when they fail.</summary>
public static class WorkerAssert
{
    public static WorkerCompletion Succeeded(WorkerResult result) =>
        result is { ExitCode: WorkerExitCode.Success, Completed: { } completed, Error: null }
            ? completed
            : throw FailException.ForFailure($"expected the transcode to succeed\n{result}");

    public static WorkerError Failed(WorkerResult result, int exitCode, ErrorReason reason) =>
        result.ExitCode == exitCode && result is { Completed: null, Error: { } error } && error.Reason == reason.ToString()
            ? error
            : throw FailException.ForFailure($"expected exit code {exitCode} with reason {reason}\n{result}");

    /// <summary>An INVALID_SPEC failure (exit code 2) that names <paramref name="field"/> among its violations.</summary>
    public static WorkerError InvalidSpec(WorkerResult result, string field)
    {
        var error = Failed(result, WorkerExitCode.Usage, ErrorReason.INVALID_SPEC);
        return error.Violations.Any(v => v.Field == field)
            ? error
            : throw FailException.ForFailure($"expected a violation of field '{field}'\n{result}");
    }
}
