using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Platform.TestSupport;
using Platform.Transport.Viewer;

namespace Platform.Transport.Tests;

/// <summary>The transport as Program.cs builds it (transport, then the viewer page), in-process on a free loopback port, on a real nats-server.</summary>
public sealed class TransportServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TransportServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary><paramref name="settings"/> are configuration keys as appsettings.json would give them (e.g. "Transport:VideoGate:...").</summary>
    public static async Task<TransportServer> StartAsync(string natsUrl, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear(); // not the service's appsettings.json (its fixed Kestrel ports and NATS URL)
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Configuration[$"ConnectionStrings:{TransportHostingExtensions.NatsConnectionName}"] = natsUrl;
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddTransport();
        var app = builder.Build();
        app.MapTransport();
        app.MapViewer();
        await app.StartAsync();
        return new TransportServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
