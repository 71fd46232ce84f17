using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Cli;

/// <summary>The operators' commands: status, workers (both with <c>--watch</c>) and quarantine.</summary>
internal static class OperatorCommands
{
    private const int MiB = 1 << 20;

    public static async Task<int> StatusAsync(CommandLineArguments args, CommandOutput output)
    {
        using var channel = ClientConnection.Open(args);
        var client = new global::Sandbox.Api.V1.Sandbox.SandboxClient(channel);
        async Task Draw(CancellationToken cancellationToken)
        {
            var status = await client.GetStatusAsync(new GetStatusRequest(), cancellationToken: cancellationToken);
            output.Print(status, () => Describe(status));
        }

        if (args.Flag("--watch"))
        {
            return await LiveView.RunAsync(args, Draw);
        }

        await Draw(CancellationToken.None);
        return 0;
    }

    public static async Task<int> WorkersAsync(CommandLineArguments args, CommandOutput output)
    {
        using var channel = ClientConnection.Open(args);
        var client = new global::Sandbox.Api.V1.Sandbox.SandboxClient(channel);
        if (args.Positional.Count == 1)
        {
            var worker = await client.GetWorkerAsync(new GetWorkerRequest { WorkerId = args.Positional[0] });
            output.Print(worker, () => string.Join(Environment.NewLine, [Table([worker]), .. worker.MemoryRungHistory.Select(h => $"  {h}")]));
            return 0;
        }

        async Task Draw(CancellationToken cancellationToken)
        {
            var workers = await client.ListWorkersAsync(new ListWorkersRequest(), cancellationToken: cancellationToken);
            output.Print(workers, () => workers.Workers.Count == 0 ? "no workers" : Table(workers.Workers));
        }

        if (args.Flag("--watch"))
        {
            return await LiveView.RunAsync(args, Draw);
        }

        await Draw(CancellationToken.None);
        return 0;
    }

    /// <summary><c>sandbox quarantine</c> lists the quarantined inputs; <c>sandbox quarantine clear FINGERPRINT|--all</c> releases them.</summary>
    public static async Task<int> QuarantineAsync(CommandLineArguments args, CommandOutput output)
    {
        using var channel = ClientConnection.Open(args);
        var client = new global::Sandbox.Api.V1.Sandbox.SandboxClient(channel);
        switch (args.Positional)
        {
            case [] or ["list"]:
                var list = await client.ListQuarantineAsync(new ListQuarantineRequest());
                output.Print(list, () => list.Inputs.Count == 0 ? "no quarantined inputs" : string.Join(Environment.NewLine, list.Inputs.Select(Describe)));
                return 0;
            case ["clear", var fingerprint]:
                var cleared = await client.ClearQuarantineAsync(new ClearQuarantineRequest { Fingerprint = fingerprint });
                output.Print(cleared, () => $"cleared {cleared.Cleared}");
                return 0;
            case ["clear"] when args.Flag("--all"):
                var all = await client.ClearQuarantineAsync(new ClearQuarantineRequest());
                output.Print(all, () => $"cleared {all.Cleared}");
                return 0;
            default:
                throw new UsageException("quarantine takes nothing (list), or clear FINGERPRINT, or clear --all");
        }
    }

    private static string Describe(Status status) => string.Join(Environment.NewLine,
    [
        $"sandbox {status.Version}, up {status.Uptime.ToTimeSpan():d\\.hh\\:mm\\:ss}",
        $"sessions: {string.Join(", ", status.SessionsByState.Select(kv => $"{kv.Key.ToLowerInvariant()} {kv.Value}"))}",
        $"workers: {status.Workers} (at most {status.MaxConcurrentSessions} sessions at once; {status.WarmWorkers} warm, pool target {status.WarmTarget}), queued: {status.Queued}",
        $"memory: workers hold {status.MemoryUsedBytes / MiB} MiB of a {status.MemoryBudgetBytes / MiB} MiB budget; admitted sessions reserve {status.MemoryReservedBytes / MiB} MiB; {status.MemoryNotifications} kernel notifications",
        $"worker deaths: {(status.WorkerDeaths.Count == 0 ? "none" : string.Join(", ", status.WorkerDeaths.Select(kv => $"{kv.Key} {kv.Value}")))}; restarts: {status.Restarts}",
        $"cgroup driver: {status.Host.CgroupDriver}, namespaces: {status.Host.Namespaces}",
        $"worker: {status.Host.WorkerBuild}: {status.Host.WorkerCommand}",
        status.Hardware.Count == 0
            ? $"hardware: none ({(status.HardwareLookedFor.Count == 0 ? "no profile exposes a GPU" : string.Join(", ", status.HardwareLookedFor) + " absent")})"
            : "hardware: " + string.Join(", ", status.Hardware.Select(d => $"{d.Path} ({d.Kind}, profile {d.Profile}, {d.Leased}/{d.Sessions} sessions, {string.Join(" ", d.Encoders)})")),
        $"sandbox profiles: {string.Join(", ", status.Host.SandboxProfiles)}",
        $"ffmpeg: {string.Join(", ", status.Host.FfmpegLibraries.Select(kv => $"{kv.Key} {kv.Value}"))}",
        $"encoders: {string.Join(", ", status.Host.Encoders.Select(kv => kv.Value ? kv.Key : $"{kv.Key} (unavailable)"))}",
    ]);

    /// <summary>One line per worker under a header: state, pid, memory against its limit, pressure, rung, restarts.</summary>
    private static string Table(IEnumerable<global::Sandbox.Api.V1.Worker> workers)
    {
        var rows = workers.Select(w => new[]
        {
            w.Id,
            w.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            w.State.ToString().Replace("Worker", "", StringComparison.Ordinal).ToUpperInvariant(),
            w.SessionId.Length > 0 ? w.SessionId : "-",
            w.Usage is { MemoryMaxBytes: > 0 and < 1L << 60 } u ? $"{u.MemoryCurrentBytes / MiB}/{u.MemoryMaxBytes / MiB} MiB" : $"{(w.Usage?.MemoryCurrentBytes ?? 0) / MiB} MiB",
            $"{w.Usage?.MemoryPressureIndex ?? 0:0.00}",
            w.MemoryRung.Length > 0 ? w.MemoryRung : "-",
            w.Restarts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{w.Usage?.CpuTime?.ToTimeSpan().TotalSeconds ?? 0:0.0} s",
        }).Prepend(["WORKER", "PID", "STATE", "SESSION", "MEMORY/LIMIT", "MPI", "RUNG", "RESTARTS", "CPU"]).ToList();
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        return string.Join(Environment.NewLine, rows.Select(r => string.Join("  ", r.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd()));
    }

    private static string Describe(QuarantinedInput input) =>
        $"{input.Fingerprint}  {input.Death} ×{input.Deaths} at {input.Position?.ToTimeSpan():hh\\:mm\\:ss\\.ff}  session {input.SessionId}  {input.Input}";
}
