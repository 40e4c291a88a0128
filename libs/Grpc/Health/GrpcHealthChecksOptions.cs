using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grpc.AspNetCore.HealthChecks;

/// <summary>How grpc.health.v1 service names map onto the app's health checks (as Grpc.AspNetCore.HealthChecks').</summary>
public sealed class GrpcHealthChecksOptions
{
    /// <summary>
    /// Names with their own subset of checks. "" (the whole server) and every service mapped with MapGrpcService
    /// report all checks unless mapped here.
    /// </summary>
    public IDictionary<string, Func<HealthCheckRegistration, bool>> Services { get; } = new Dictionary<string, Func<HealthCheckRegistration, bool>>(StringComparer.Ordinal);

    /// <summary>How often Watch re-runs the checks to notice a change.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(5);
}
