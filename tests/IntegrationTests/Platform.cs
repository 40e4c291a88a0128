using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace Platform.IntegrationTests;

/// <summary>The seven resources of the platform.</summary>
internal static class Platform
{
    public static readonly TimeSpan HealthyDeadline = TimeSpan.FromSeconds(90);

    public static readonly string[] Resources = ["nats", "safety-authority", "encoder", "sim-runner", "transport", "recorder", "telemetry-tailer"];

    public static IEnumerable<string> Services => Resources.Skip(1);

    /// <summary>Starts the AppHost through the testing builder and waits until every resource is healthy; returns how long that took.</summary>
    public static async Task<(DistributedApplication App, TimeSpan StartUp)> StartHealthyAsync()
    {
        var clock = Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();
        var app = await builder.BuildAsync();
        try
        {
            await app.StartAsync();
            using var cts = new CancellationTokenSource(HealthyDeadline);
            foreach (var resource in Resources) await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        }
        catch (OperationCanceledException)
        {
            var states = string.Join(", ", app.ResourceNotifications.Current.Select(s => $"{s.Name}={s.State}/{s.HealthStatus} {s.Message}"));
            await app.DisposeAsync();
            throw new TimeoutException($"Not all resources were healthy within {HealthyDeadline.TotalSeconds} s: {states}");
        }
        return (app, clock.Elapsed);
    }
}
