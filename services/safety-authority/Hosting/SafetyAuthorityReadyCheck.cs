using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.SafetyAuthority.Hosting;

/// <summary>Ready once the latch has been read back and the state is being published.</summary>
public sealed class SafetyAuthorityReadyCheck(SafetyAuthorityState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(state.Ready.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy($"state {state.Current.StateId}: {state.Current.Mode}")
            : HealthCheckResult.Unhealthy("reading the latched state from the NATS key-value bucket"));
}
