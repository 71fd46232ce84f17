using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Cli;

/// <summary>The operators' commands: status and workers.</summary>
internal static class OperatorCommands
{
    public static async Task<int> StatusAsync(CommandLineArguments args, CommandOutput output)
    {
        using var channel = ClientConnection.Open(args);
        var status = await new global::Sandbox.Api.V1.Sandbox.SandboxClient(channel).GetStatusAsync(new GetStatusRequest());
        output.Print(status, () => string.Join(Environment.NewLine,
        [
            $"sandbox {status.Version}, up {status.Uptime.ToTimeSpan():d\\.hh\\:mm\\:ss}",
            $"sessions: {string.Join(", ", status.SessionsByState.Select(kv => $"{kv.Key.ToLowerInvariant()} {kv.Value}"))}",
            $"workers: {status.Workers} (at most {status.MaxConcurrentSessions} sessions at once; {status.WarmWorkers} warm, pool target {status.WarmTarget}), queued: {status.Queued}",
            $"memory: workers hold {status.MemoryUsedBytes >> 20} MiB of a {status.MemoryBudgetBytes >> 20} MiB budget; admitted sessions reserve {status.MemoryReservedBytes >> 20} MiB",
            $"worker deaths: {(status.WorkerDeaths.Count == 0 ? "none" : string.Join(", ", status.WorkerDeaths.Select(kv => $"{kv.Key} {kv.Value}")))}; restarts: {status.Restarts}",
            $"cgroup driver: {status.Host.CgroupDriver}, namespaces: {status.Host.Namespaces}",
            $"sandbox profiles: {string.Join(", ", status.Host.SandboxProfiles)}",
            $"ffmpeg: {string.Join(", ", status.Host.FfmpegLibraries.Select(kv => $"{kv.Key} {kv.Value}"))}",
            $"encoders: {string.Join(", ", status.Host.Encoders.Select(kv => kv.Value ? kv.Key : $"{kv.Key} (unavailable)"))}",
        ]));
        return 0;
    }

    public static async Task<int> WorkersAsync(CommandLineArguments args, CommandOutput output)
    {
        using var channel = ClientConnection.Open(args);
        var client = new global::Sandbox.Api.V1.Sandbox.SandboxClient(channel);
        if (args.Positional.Count == 1)
        {
            var worker = await client.GetWorkerAsync(new GetWorkerRequest { WorkerId = args.Positional[0] });
            output.Print(worker, () => Describe(worker));
            return 0;
        }

        var workers = await client.ListWorkersAsync(new ListWorkersRequest());
        output.Print(workers, () => workers.Workers.Count == 0 ? "no workers" : string.Join(Environment.NewLine, workers.Workers.Select(Describe)));
        return 0;
    }

    private static string Describe(global::Sandbox.Api.V1.Worker w) =>
        $"{w.Id}  pid {w.Pid}  {w.State}  session {w.SessionId}  rss {w.Usage?.RssBytes / (1 << 20)} MiB  cpu {w.Usage?.CpuTime?.ToTimeSpan().TotalSeconds:0.0} s  socket {w.Socket}";
}
