using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Transport;

/// <summary>Which of the transport's NATS subscriptions are up; the "transport" readiness check is healthy when all are.</summary>
public sealed class TransportReadiness
{
    private readonly ConcurrentDictionary<string, bool> _subscriptions = new(StringComparer.Ordinal);

    public void Expect(string subject) => _subscriptions.TryAdd(subject, false);

    public void Set(string subject, bool up) => _subscriptions[subject] = up;

    public bool IsReady => !_subscriptions.IsEmpty && _subscriptions.Values.All(up => up);

    public IReadOnlyList<string> Down => [.. _subscriptions.Where(s => !s.Value).Select(s => s.Key).Order(StringComparer.Ordinal)];
}

/// <summary>Ready once every NATS subscription of the transport is in place (video, telemetry, commands' acks, sessions, schema).</summary>
internal sealed class TransportHealthCheck(TransportReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy("NATS subscriptions up")
            : new HealthCheckResult(context.Registration.FailureStatus, "NATS subscriptions not up: " + string.Join(", ", readiness.Down)));
}
