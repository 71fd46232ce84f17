using System.Text.Json;

namespace Sandbox.Worker.Tests.Media;

/// <summary>
/// One finished worker run, with its <c>--json</c> stdout parsed into the lines the contract
/// defines. The raw output is kept so a failing assertion can show what the worker said.
/// </summary>
public sealed class WorkerResult
{
    private WorkerResult(string commandLine, ChildProcessResult process)
    {
        CommandLine = commandLine;
        ExitCode = process.ExitCode;
        StandardOutput = process.StandardOutput;
        StandardError = process.StandardError;
    }

    public string CommandLine { get; }

    public int ExitCode { get; }

    public WorkerCompletion? Completed { get; private set; }

    public WorkerError? Error { get; private set; }

    public int ProgressLines { get; private set; }

    public string StandardOutput { get; }

    public string StandardError { get; }

    /// <summary>Parses stdout; a line that is not a contract JSON object is itself a failure.</summary>
    public static WorkerResult Parse(string commandLine, ChildProcessResult process)
    {
        var result = new WorkerResult(commandLine, process);
        foreach (var line in process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result.Accept(line);
        }

        return result;
    }

    /// <summary>Everything the worker said, for assertion messages.</summary>
    public override string ToString() =>
        $"$ {CommandLine}\nexit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    private void Accept(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the worker printed a non-JSON line on stdout: {line}\n{this}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.GetProperty("type").GetString())
            {
                case "progress":
                    ProgressLines++;
                    break;
                case "completed":
                    Completed = new WorkerCompletion(
                        root.GetProperty("output").GetString() ?? "",
                        root.GetProperty("frames").GetInt64(),
                        root.GetProperty("outputTime").GetDouble())
                    {
                        Chunks = root.TryGetProperty("chunks", out var chunks) ? chunks.GetInt32() : null,
                        ResumedFrom = root.TryGetProperty("resumedFrom", out var resumed) ? resumed.GetDouble() : null,
                        Repaired = root.TryGetProperty("repaired", out var repaired) ? repaired.GetString() : null,
                    };
                    break;
                case "error":
                    Error = new WorkerError(
                        root.GetProperty("reason").GetString() ?? "",
                        root.GetProperty("message").GetString() ?? "",
                        root.TryGetProperty("violations", out var violations)
                            ? [.. violations.EnumerateArray().Select(v => new WorkerViolation(
                                v.GetProperty("field").GetString() ?? "",
                                v.GetProperty("description").GetString() ?? ""))]
                            : []);
                    break;
                default:
                    throw new FormatException($"the worker printed a line of unknown type: {line}\n{this}");
            }
        }
    }
}
