using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.TelemetryTailer.Tailing;

/// <summary>Ready once the folder has been scanned the first time, and for as long as the tail loop runs.</summary>
internal sealed class TailerHealthCheck(DirectoryTailer tailer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (tailer.ExecuteTask is { IsCompleted: true } stopped)
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, $"The tail loop of {tailer.Folder} stopped", stopped.Exception));
        return Task.FromResult(tailer.Started.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy($"Tailing {tailer.Folder}")
            : new HealthCheckResult(context.Registration.FailureStatus, $"Not yet scanned {tailer.Folder}"));
    }
}
