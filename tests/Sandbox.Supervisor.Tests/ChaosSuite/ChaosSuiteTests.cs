using System.Diagnostics;
using System.Globalization;
using Sandbox.Api.V1;
using Sandbox.Supervisor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sandbox.Supervisor.Tests.ChaosSuite;

/// <summary>
/// The chaos suite: many sessions through one real supervisor while faults of every kind strike at
/// random (seeded). Every session must end in exactly one terminal state with the right reason, every
/// completed output must decode fully with the input's duration, poison inputs must end as
/// POISON_INPUT, nothing may be left behind, and the supervisor itself must never restart. A second
/// run kills the supervisor mid-way and starts a new one: no session may be lost. Both run with a warm
/// pool, so sessions and restarts take warm workers as in production.
/// SANDBOX_CHAOS_SESSIONS sets the size (100 by default; more for a longer run), SANDBOX_CHAOS_SEED
/// replays a run, and SANDBOX_CHAOS_SUMMARY names a file the summary tables are appended to.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class ChaosSuiteTests(ITestOutputHelper log) : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan ClipDuration = TimeSpan.FromSeconds(6);

    private readonly TempDirectory _scratch = new();
    private readonly TempDirectory _profiles = new();
    private string _clip = "";
    private SupervisorSettings _settings = SupervisorSettings.Default;

    public async Task InitializeAsync()
    {
        _clip = await ClipAsync("clip.mp4", "");
        var profiles = await ShippedProfiles.WithExtraAsync(_profiles, "chaos", """
            { "extends": "default", "description": "chaos suite: room for a 320x240 encode, not for a leak", "limits": { "memoryMax": "384MiB", "memoryHigh": "384MiB" } }
            """);
        var environment = new Dictionary<string, string>(profiles.Environment!)
        {
            // A frozen worker is found within seconds, and the many restarts of the suite are not
            // mistaken for a crash loop (the intensity limit has its own tests).
            ["Sandbox__HangTimeout"] = "00:00:03",
            ["Sandbox__RestartIntensity"] = "10000",
            ["Sandbox__WarmProfile"] = "chaos",
        };
        _settings = new SupervisorSettings(MaxConcurrent: 2, Environment: environment, EnableFaultInjection: true, WarmWorkers: 1);
    }

    /// <summary>Nothing to release asynchronously: xunit calls <see cref="Dispose"/> right after this.</summary>
    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _scratch.Dispose();
        _profiles.Dispose();
    }

    [Fact]
    public async Task Every_session_ends_right_under_random_faults_and_nothing_leaks()
    {
        var (sessions, seed) = Size();
        await RunWithFailuresAsync(sessions, seed, $"chaos suite (seed {seed})");
    }

    /// <summary>
    /// The same on a host that 4 busy loops keep saturated (2× the CPUs of a CI machine), with the
    /// suite's short hang timeout: starved workers must be given time, not killed as hung, so every
    /// session still ends as planned, no clean input is quarantined, and injected hangs are still
    /// caught. SANDBOX_CHAOS_LOADED_SESSIONS sets its size (30 by default).
    /// </summary>
    [Fact]
    public async Task On_a_saturated_host_starved_workers_are_not_taken_for_hung()
    {
        var (_, seed) = Size();
        var sessions = int.TryParse(Environment.GetEnvironmentVariable("SANDBOX_CHAOS_LOADED_SESSIONS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 30;
        using var hogs = CpuHogs.Start(Math.Max(4, Environment.ProcessorCount * 2));
        await RunWithFailuresAsync(sessions, seed, $"chaos suite on a saturated host ({hogs.Count} busy loops, seed {seed})");
    }

    private async Task RunWithFailuresAsync(int sessions, int seed, string title)
    {
        var plan = ChaosPlan.Draw(sessions, seed, withFailures: true);
        await using var supervisor = await SupervisorProcess.StartAsync(_settings);
        var input = supervisor.AddInput(_clip);
        var poison = await PoisonInputsAsync(supervisor, plan);
        var outputs = supervisor.OutputDirectory("chaos");

        var clock = Stopwatch.StartNew();
        var outcomes = await new ChaosRun(() => supervisor, input, i => poison[i], outputs).RunAsync(plan);
        var problems = await ChaosVerdict.CheckAsync(outcomes, ClipDuration);

        var quarantined = (await supervisor.Operator.ListQuarantineAsync(new ListQuarantineRequest())).Inputs.Select(e => e.Input).ToHashSet();
        var poisoned = outcomes.Where(o => o.Plan.Mischief == Mischief.Poison && o.Delivered).Select(o => poison[o.Plan.Index]).ToList();
        problems.AddRange(poisoned.Where(p => !quarantined.Contains(p)).Select(p => $"poison input {p} is not in quarantine"));
        problems.AddRange(quarantined.Where(q => !poison.ContainsValue(q)).Select(q => $"the clean input {q} was quarantined"));

        var leaks = await ChaosLeaks.CountAsync(supervisor, outputs, outcomes.Where(o => o.State == SessionState.Completed).Select(o => o.Output));
        var cost = SupervisorCost.Read(supervisor.Pid, restarts: 0, (await supervisor.Operator.GetStatusAsync(new GetStatusRequest())).MemorySamplingCost.ToTimeSpan());
        await ReportAsync(title, outcomes, leaks, cost, clock.Elapsed);

        Assert.False(supervisor.HasExited, $"the supervisor died during the run:\n{supervisor.Log}");
        problems.AddRange(leaks.Where(l => l.Value > 0).Select(l => $"leaked {l.Value} {l.Key}"));
        var struck = outcomes.Count(o => o.Delivered && o.Plan.Mischief is Mischief.Fault or Mischief.ForbiddenSyscall or Mischief.Poison);
        if (struck < sessions * 0.3)
        {
            problems.Add($"faults struck only {struck} of {sessions} sessions (at least 30% required)");
        }

        Assert.True(problems.Count == 0, $"seed {seed}: {problems.Count} problems:\n{string.Join('\n', problems)}\n{LogAbout(supervisor, problems)}");
    }

    [Fact]
    public async Task A_supervisor_killed_mid_run_and_restarted_loses_no_session()
    {
        var (sessions, seed) = Size();
        var plan = ChaosPlan.Draw(Math.Max(10, sessions * 3 / 10), seed, withFailures: false);
        await using var first = await SupervisorProcess.StartAsync(_settings);
        var input = first.AddInput(_clip);
        var outputs = first.OutputDirectory("chaos-restart");
        var current = first;
        SupervisorProcess? second = null;
        try
        {
            var clock = Stopwatch.StartNew();
            var run = new ChaosRun(() => Volatile.Read(ref current), input, _ => input, outputs);
            var running = run.RunAsync(plan);

            // Kill it outright once a third of the sessions ended, with others queued and running.
            await Poll.UntilAsync(() => run.Finished >= plan.Count / 3 || running.IsCompleted, SessionStreams.Timeout * 4, () => $"{run.Finished} sessions ended");
            await first.KillAsync();
            second = await SupervisorProcess.RestartAsync(first, _settings);
            Volatile.Write(ref current, second);

            var outcomes = await running;
            var problems = await ChaosVerdict.CheckAsync(outcomes, ClipDuration, faultsMustRestart: false);
            var listed = (await second.Sessions.ListAsync(new ListSessionsRequest { PageSize = 500 })).Sessions.Select(s => s.Id).ToHashSet();
            problems.AddRange(outcomes.Where(o => !listed.Contains(o.SessionId)).Select(o => $"session {o.SessionId} is unknown to the restarted supervisor"));
            var leaks = await ChaosLeaks.CountAsync(second, outputs, outcomes.Where(o => o.State == SessionState.Completed).Select(o => o.Output));
            await ReportAsync($"chaos suite with a supervisor restart (seed {seed})", outcomes, leaks, SupervisorCost.Read(second.Pid, restarts: 1, (await second.Operator.GetStatusAsync(new GetStatusRequest())).MemorySamplingCost.ToTimeSpan()), clock.Elapsed);

            problems.AddRange(leaks.Where(l => l.Value > 0).Select(l => $"leaked {l.Value} {l.Key}"));
            Assert.True(problems.Count == 0, $"seed {seed}: {problems.Count} problems:\n{string.Join('\n', problems)}\n{LogAbout(second, problems)}");
        }
        finally
        {
            // The restarted supervisor goes first: the killed one's disposal checks that no worker of their shared state directory is left.
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    /// <summary>The supervisor's log lines about the sessions named in <paramref name="problems"/> and their workers.</summary>
    private static string LogAbout(SupervisorProcess supervisor, IEnumerable<string> problems)
    {
        var ids = problems.SelectMany(p => System.Text.RegularExpressions.Regex.Matches(p, "s-[0-9a-f]{16}").Select(m => m.Value)).ToHashSet();
        var lines = supervisor.Log.Split('\n');
        var workers = lines.Where(l => ids.Any(l.Contains)).SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l, "w-[0-9a-f]{12}").Select(m => m.Value)).ToHashSet();
        return "supervisor log about them:\n" + string.Join('\n', lines.Where(l => ids.Any(l.Contains) || workers.Any(l.Contains)));
    }

    /// <summary>The run's size and seed: from the environment, else 100 sessions and a fresh seed (the restart run takes 30% of the size).</summary>
    private static (int Sessions, int Seed) Size() =>
        (int.TryParse(Environment.GetEnvironmentVariable("SANDBOX_CHAOS_SESSIONS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 100,
         int.TryParse(Environment.GetEnvironmentVariable("SANDBOX_CHAOS_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next());

    /// <summary>A distinct input per poison session: quarantine goes by content, and the clean clip must stay admitted.</summary>
    private async Task<Dictionary<int, string>> PoisonInputsAsync(SupervisorProcess supervisor, IReadOnlyList<PlannedSession> plan)
    {
        var inputs = new Dictionary<int, string>();
        foreach (var planned in plan.Where(p => p.Mischief == Mischief.Poison))
        {
            inputs[planned.Index] = supervisor.AddInput(await ClipAsync($"poison-{planned.Index}.mp4", $"poison {planned.Index}"));
        }

        return inputs;
    }

    private async Task<string> ClipAsync(string name, string comment)
    {
        var path = _scratch.File(name);
        var seconds = ClipDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        await Ffmpeg.RunAsync(
            "-f", "lavfi", "-i", $"testsrc2=size={TestClips.Width}x{TestClips.Height}:rate=25:duration={seconds}",
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", "-shortest",
            "-metadata", $"comment={comment}", path);
        return path;
    }

    private async Task ReportAsync(string title, IReadOnlyList<ChaosOutcome> outcomes, IReadOnlyDictionary<string, int> leaks, SupervisorCost cost, TimeSpan wall)
    {
        var table = ChaosSummary.Render(title, outcomes, leaks, cost, wall);
        log.WriteLine(table);
        await ChaosReport.AppendAsync(table);
    }
}
