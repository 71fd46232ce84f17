using Google.Protobuf.WellKnownTypes;
using Sandbox.Api.V1;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>Makes a session's worker leak native memory through the Chaos API (the supervisor needs --enable-fault-injection).</summary>
public static class MemoryLeaks
{
    /// <summary>From the session's first progress on, its worker leaks <paramref name="mibPerSecond"/> MiB/s until something stops it.</summary>
    public static Task StartAsync(SupervisorProcess supervisor, string sessionId, int mibPerSecond) =>
        new Chaos.ChaosClient(supervisor.Channel).InjectFaultAsync(new InjectFaultRequest
        {
            SessionId = sessionId,
            Kind = FaultKind.FaultLeak,
            LeakMibPerSecond = mibPerSecond,
            At = Duration.FromTimeSpan(TimeSpan.Zero),
        }).ResponseAsync;
}
