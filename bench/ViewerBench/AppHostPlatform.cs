using Aspire.Hosting;
using Aspire.Hosting.Testing;
using NATS.Client.Core;

namespace Platform.ViewerBench;

/// <summary>
/// The whole platform through the AppHost's testing builder (as Platform.IntegrationTests starts it): sim-runner
/// renders 1280x720@30 and stamps Capture-Ts at render, the encoder makes H.264, the transport relays it.
/// </summary>
internal sealed class AppHostPlatform : IBenchPlatform
{
    private static readonly string[] Resources = ["nats", "safety-authority", "encoder", "sim-runner", "transport", "recorder", "telemetry-tailer"];

    private readonly DistributedApplication _app;
    private readonly NatsConnection _nats;

    private AppHostPlatform(DistributedApplication app, NatsConnection nats)
    {
        _app = app;
        _nats = nats;
        ViewerUrl = new UriBuilder(app.GetEndpoint("transport", "http")) { Query = "stream=main&client=bench" }.Uri.ToString();
    }

    public string Description => "the whole platform (AppHost testing builder): sim-runner render -> encoder (libx264) -> NATS -> transport -> browser; Capture-Ts stamped at render";
    public INatsConnection Nats => _nats;
    public string ViewerUrl { get; }

    public static async Task<AppHostPlatform> StartAsync(TimeSpan deadline)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();
        var app = await builder.BuildAsync();
        try
        {
            await app.StartAsync();
            using var cts = new CancellationTokenSource(deadline);
            foreach (var resource in Resources) await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
            var nats = new NatsConnection(NatsOpts.Default with { Url = app.GetConnectionString("nats")!, Name = "viewer-bench" });
            await nats.ConnectAsync();
            return new AppHostPlatform(app, nats);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _nats.DisposeAsync();
        await _app.DisposeAsync();
    }
}
