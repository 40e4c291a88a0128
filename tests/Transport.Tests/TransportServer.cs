using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Nats;
using Platform.TestSupport;
using Platform.Transport.Streaming;
using Platform.Transport.Viewer;

namespace Platform.Transport.Tests;

/// <summary>The transport as Program.cs builds it (with the viewer page), in-process on a free loopback port, against a real nats-server.</summary>
public sealed class TransportServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TransportServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public IServiceProvider Services => _app.Services;
    public StreamHub Hub => _app.Services.GetRequiredService<StreamHub>();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public Uri StreamUrl(string query = "") => new($"ws://127.0.0.1:{Port}{StreamEndpoint.Path}{(query.Length > 0 ? "?" + query : "")}");

    public Uri SignalsUrl(string query = "") => new($"ws://127.0.0.1:{Port}/ws/signals{(query.Length > 0 ? "?" + query : "")}");

    /// <summary>Starts on a free port, or on <paramref name="requestedPort"/> (a restart where clients expect it).</summary>
    public static async Task<TransportServer> StartAsync(string natsUrl, Action<TransportOptions>? configure = null, int? requestedPort = null)
    {
        var port = requestedPort ?? FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear(); // not the service's appsettings.json (its fixed ports and NATS URL)
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:nats"] = natsUrl });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddTransport();
        if (configure is not null) builder.Services.PostConfigure(configure);
        var app = builder.Build();
        app.MapTransport();
        app.MapViewer();
        await app.StartAsync();
        var subscriptions = app.Services.GetRequiredService<NatsSubscriptionLoop>();
        await Eventually.WaitAsync(() => subscriptions.Down.Count == 0, "transport's NATS subscriptions up", TimeSpan.FromSeconds(15));
        return new TransportServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
