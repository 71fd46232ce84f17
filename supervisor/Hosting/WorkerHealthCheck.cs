using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;

namespace Sandbox.Supervisor.Hosting;

/// <summary>NOT_SERVING (via grpc.health.v1) when the worker cannot run, a required encoder is missing, or the supervisor is draining to stop.</summary>
internal sealed class WorkerHealthCheck(HostProbe host, Sessions.SessionManager sessions, IOptions<SupervisorOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (sessions.IsDraining)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the supervisor is draining to stop"));
        }

        if (host.Problem is { } problem)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(problem));
        }

        var missing = options.Value.RequiredEncoders.Where(e => !host.Capabilities.Encoders.GetValueOrDefault(e)).ToList();
        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"required encoders unavailable: {string.Join(", ", missing)}"));
    }
}
