using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Encoder.Pipeline;

namespace Platform.Encoder.Hosting;

/// <summary>The "encoder" readiness check: Unhealthy, with the loader's reason, while libavcodec cannot be loaded.</summary>
public sealed class EncoderReadyCheck(MediaLibraryStatus media) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(media.Error is { } error
            ? HealthCheckResult.Unhealthy(error)
            : HealthCheckResult.Healthy("FFmpeg libraries loaded"));
}
