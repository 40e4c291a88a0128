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
    private readonly string _state;

    private AppHostPlatform(DistributedApplication app, NatsConnection nats, string state)
    {
        _app = app;
        _nats = nats;
        _state = state;
        ViewerUrl = new UriBuilder(app.GetEndpoint("transport", "http")) { Query = "stream=main&client=bench" }.Uri.ToString();
    }

    public string Description => "the whole platform (AppHost testing builder): sim-runner render -> encoder (libx264) -> NATS -> transport -> browser; Capture-Ts stamped at render";
    public INatsConnection Nats => _nats;
    public string ViewerUrl { get; }

    public static async Task<AppHostPlatform> StartAsync(TimeSpan deadline)
    {
        // A JetStream state folder of its own: a latched ESTOP from a developer's run must not hold the bench's robot.
        var state = Directory.CreateTempSubdirectory("viewer-bench-state-").FullName;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([$"--{NatsServerBuilderExtensions.StateDirectoryKey}={state}"]);
        var app = await builder.BuildAsync();
        try
        {
            await app.StartAsync();
            using var cts = new CancellationTokenSource(deadline);
            foreach (var resource in Resources) await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
            var nats = new NatsConnection(NatsOpts.Default with { Url = (await app.GetConnectionStringAsync("nats"))!, Name = "viewer-bench" });
            await nats.ConnectAsync();
            return new AppHostPlatform(app, nats, state);
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(state, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _nats.DisposeAsync();
        await _app.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }
}
