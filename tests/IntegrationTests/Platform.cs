using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Platform.TestSupport;

namespace Platform.IntegrationTests;

/// <summary>The platform's AppHost started through Aspire.Hosting.Testing, with the dashboard on free ports.</summary>
public sealed class Platform : IAsyncDisposable
{
    public static readonly TimeSpan HealthyDeadline = TimeSpan.FromSeconds(120);

    public static readonly string[] Resources = ["nats", "safety-authority", "encoder", "sim-runner", "transport", "recorder", "telemetry-tailer"];

    public static IEnumerable<string> Services => Resources.Skip(1);

    private readonly string _state;

    private Platform(DistributedApplication app, Uri dashboard, string state, TimeSpan startUp)
    {
        App = app;
        Dashboard = dashboard;
        _state = state;
        StartUp = startUp;
    }

    public DistributedApplication App { get; }

    /// <summary>The dashboard (anonymous, plain HTTP): its telemetry API is at /api/telemetry.</summary>
    public Uri Dashboard { get; }

    /// <summary>From CreateAsync to every resource healthy.</summary>
    public TimeSpan StartUp { get; }

    /// <summary>Starts the AppHost (its own JetStream state folder) and waits until every resource is healthy.</summary>
    public static async Task<Platform> StartHealthyAsync()
    {
        var clock = Stopwatch.StartNew();
        var state = Directory.CreateTempSubdirectory("platform-state-").FullName;
        // Free ports for a start; the testing builder's DcpPublisher:RandomizePorts gives the dashboard others.
        string[] args =
        [
            $"--{NatsServerBuilderExtensions.StateDirectoryKey}={state}",
            $"--ASPNETCORE_URLS=http://localhost:{FreePort.Next()}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{FreePort.Next()}",
            $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:{FreePort.Next()}",
            "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
            "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(args, (options, _) => options.DisableDashboard = false);
        var app = await builder.BuildAsync();
        Uri dashboard;
        try
        {
            await app.StartAsync();
            using var cts = new CancellationTokenSource(HealthyDeadline);
            foreach (var resource in Resources) await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
            // The dashboard's frontend, endpoint "http" (its others: the OTLP and resource-service endpoints, HTTP/2 only).
            var dashboardResource = await app.ResourceNotifications.WaitForResourceAsync("aspire-dashboard", e => e.Snapshot.Urls.Any(u => u.Name == "http"), cts.Token);
            dashboard = new Uri(dashboardResource.Snapshot.Urls.First(u => u.Name == "http").Url);
        }
        catch (OperationCanceledException)
        {
            var states = string.Join(", ", Resources.Select(r => app.ResourceNotifications.TryGetCurrentState(r, out var e)
                ? $"{r}={e.Snapshot.State?.Text}/{e.Snapshot.HealthStatus}" : $"{r}=?"));
            await app.DisposeAsync();
            Directory.Delete(state, recursive: true);
            throw new TimeoutException($"Not all resources were healthy within {HealthyDeadline.TotalSeconds} s: {states}");
        }
        return new Platform(app, dashboard, state, clock.Elapsed);
    }

    /// <summary>The pid DCP reports for <paramref name="resource"/> (for a project: its <c>dotnet run</c>).</summary>
    public int ResourcePid(string resource)
    {
        Assert.True(App.ResourceNotifications.TryGetCurrentState(resource, out var current), resource);
        return Pid(current.Snapshot) ?? throw new InvalidOperationException($"{resource} has no process ({current.Snapshot.State?.Text})");
    }

    /// <summary>The process of the service itself (below DCP's <c>dotnet run</c> for a project).</summary>
    public int ServicePid(string resource) => ProcessState.Innermost(ResourcePid(resource));

    /// <summary>
    /// Waits until the service <paramref name="resource"/> runs again as a new process and its own listener answers /health
    /// with 200 (a snapshot can still carry the previous instance's health for a moment).
    /// </summary>
    public async Task WaitForRestartAsync(string resource, int oldPid, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await App.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && Pid(e.Snapshot) is { } pid && pid != oldPid, cts.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.WaitAsync(async () =>
        {
            try
            {
                return ServiceUrl(resource) is { } url && (await http.GetAsync(new Uri(url, "/health"), cts.Token)).IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cts.IsCancellationRequested)
            {
                return false;
            }
        }, $"{resource} healthy again after its restart", timeout, cts.Token);
    }

    /// <summary>The service's own http listener (Kestrel__Endpoints__http__Url in its environment), behind DCP's proxy.</summary>
    private Uri? ServiceUrl(string resource)
    {
        var environment = File.ReadAllText($"/proc/{ServicePid(resource)}/environ").Split('\0');
        return environment.FirstOrDefault(e => e.StartsWith("Kestrel__Endpoints__http__Url=", StringComparison.Ordinal)) is { } entry
            ? new Uri(entry[(entry.IndexOf('=', StringComparison.Ordinal) + 1)..])
            : null;
    }

    private static int? Pid(CustomResourceSnapshot snapshot)
        => snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
            : null;

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }
}
