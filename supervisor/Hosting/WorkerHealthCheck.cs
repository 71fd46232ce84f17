using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;

namespace Sandbox.Supervisor.Hosting;

/// <summary>NOT_SERVING (via grpc.health.v1) when the worker cannot run or a required encoder is missing.</summary>
internal sealed class WorkerHealthCheck(HostProbe host, IOptions<SupervisorOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
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
