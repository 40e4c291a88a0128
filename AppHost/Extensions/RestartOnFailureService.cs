using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// Watches resource snapshots and restarts each instance of an annotated resource that exits while nobody asked it to
/// stop (a stop from the dashboard passes through Stopping first; a shutdown of the AppHost cancels this service first).
/// </summary>
internal sealed partial class RestartOnFailureService(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLogs,
    TimeProvider time,
    ILogger<RestartOnFailureService> logger) : BackgroundService
{
    private static readonly HashSet<string?> Ended = [KnownResourceStates.Exited, KnownResourceStates.Finished];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var instances = new Dictionary<string, Instance>(StringComparer.Ordinal);
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!change.Resource.TryGetLastAnnotation<RestartOnFailureAnnotation>(out var annotation)) continue;
                if (!instances.TryGetValue(change.ResourceId, out var instance))
                    instances[change.ResourceId] = instance = new Instance();
                var state = change.Snapshot.State?.Text;
                var now = time.GetUtcNow();

                if (state == KnownResourceStates.Stopping) instance.StopRequested = true;
                else if (state == KnownResourceStates.Starting || state == KnownResourceStates.Waiting) instance.StopRequested = false;

                // A snapshot can carry the previous instance's health while the new one starts: count Running ones only.
                if (state == KnownResourceStates.Running && change.Snapshot.HealthStatus == HealthStatus.Healthy) instance.HealthySince ??= now;

                if (Ended.Contains(state) && !Ended.Contains(instance.State) && instance.State is not null && !instance.StopRequested)
                {
                    if (instance.HealthySince is { } since && now - since >= annotation.Backoff.ResetAfter) instance.Failures = 0;
                    instance.Failures++;
                    var delay = annotation.Backoff.DelayBefore(instance.Failures);
                    var message = $"exited with code {change.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} without being asked to stop; restart {instance.Failures} in {delay.TotalSeconds:0.###} s";
                    LogRestartScheduled(resourceLogs.GetLogger(change.ResourceId), message);
                    LogRestartScheduled(logger, $"{change.ResourceId} {message}");
                    _ = RestartAsync(change.ResourceId, delay, stoppingToken);
                }
                if (Ended.Contains(state)) instance.HealthySince = null;
                instance.State = state;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RestartAsync(string resourceId, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken).ConfigureAwait(false);
            if (!result.Success) LogRestartFailed(logger, resourceId, result.Message ?? "no reason given");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogRestartFailed(logger, resourceId, ex.Message);
        }
    }

    private sealed class Instance
    {
        public string? State { get; set; }
        public bool StopRequested { get; set; }
        public DateTimeOffset? HealthySince { get; set; }
        public int Failures { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restart on failure: {Message}")]
    private static partial void LogRestartScheduled(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Restart on failure: starting {ResourceId} again failed: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string resourceId, string reason);
}
