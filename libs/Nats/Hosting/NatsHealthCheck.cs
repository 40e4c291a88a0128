using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Nats;

/// <summary>Healthy only while the NATS connection is open.</summary>
internal sealed class NatsHealthCheck(INatsConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = connection.ConnectionState;
        return Task.FromResult(state == NatsConnectionState.Open
            ? HealthCheckResult.Healthy($"NATS connection open ({connection.ServerInfo?.Version})")
            : new HealthCheckResult(context.Registration.FailureStatus, $"NATS connection is {state}"));
    }
}
