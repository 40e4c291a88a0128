using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.SimRunner.Hosting;

/// <summary>Ready while the simulation loop is ticking (a tick within the last second).</summary>
public sealed class SimLoopHealthCheck(SimulationLoopService loop) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(loop.SinceLastTick < TimeSpan.FromSeconds(1)
            ? HealthCheckResult.Healthy("simulation loop ticking")
            : HealthCheckResult.Unhealthy("simulation loop is not ticking: see the sim-runner log for the failure"));
}
