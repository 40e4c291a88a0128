using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.SafetyAuthority.Hosting;

/// <summary>Ready once the latch has been read back; degraded while an announced state is not yet stored.</summary>
public sealed class SafetyAuthorityReadyCheck(SafetyAuthorityState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.Ready.IsCompletedSuccessfully)
            return Task.FromResult(HealthCheckResult.Unhealthy("reading the latched state from the NATS key-value bucket"));
        return Task.FromResult(state.Unstored is { } unstored
            ? HealthCheckResult.Degraded($"state {unstored} is announced but not yet stored in the NATS key-value bucket; retrying")
            : HealthCheckResult.Healthy($"state {state.Current.StateId}: {state.Current.Mode}"));
    }
}
