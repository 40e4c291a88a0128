using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Nats;
using Platform.TestSupport;
using Platform.Transport.Streaming;

namespace Platform.Transport.Tests;

/// <summary>
/// The transport's real Program (WebApplicationFactory&lt;Program&gt;) on Kestrel, on a free loopback port, against a real
/// nats-server: browsers, WebSocket clients and NATS peers reach it over a real socket.
/// </summary>
public sealed class TransportServer : IAsyncDisposable
{
    private readonly Factory _factory;

    private TransportServer(Factory factory, int port)
    {
        _factory = factory;
        Port = port;
    }

    public int Port { get; }
    public IServiceProvider Services => _factory.Services;
    public StreamHub Hub => Services.GetRequiredService<StreamHub>();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public Uri StreamUrl(string query = "") => new($"ws://127.0.0.1:{Port}{StreamEndpoint.Path}{(query.Length > 0 ? "?" + query : "")}");

    public Uri SignalsUrl(string query = "") => new($"ws://127.0.0.1:{Port}/ws/signals{(query.Length > 0 ? "?" + query : "")}");

    /// <summary>Starts on a free port, or on <paramref name="requestedPort"/> (a restart where clients expect it).</summary>
    public static async Task<TransportServer> StartAsync(string natsUrl, Action<TransportOptions>? configure = null, int? requestedPort = null)
    {
        var port = requestedPort ?? FreePort.Next();
        var factory = new Factory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:nats"] = natsUrl,
            // The endpoints of appsettings.json, on loopback ports of this test's own (the gRPC one is unused here).
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{port}",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
        }, configure);
        try
        {
            factory.UseKestrel();
            factory.StartServer();
            var subscriptions = factory.Services.GetRequiredService<NatsSubscriptionLoop>();
            await Eventually.WaitAsync(() => subscriptions.Down.Count == 0, "transport's NATS subscriptions up", TimeSpan.FromSeconds(15));
            return new TransportServer(factory, port);
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class Factory(Dictionary<string, string?> settings, Action<TransportOptions>? configure) : WebApplicationFactory<Program>
    {
        // Host configuration reaches Program as command-line arguments, so it is there before Program reads it
        // (AddServiceDefaults reads the NATS URL and the OTLP endpoint while the builder is being composed).
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(settings));
            return base.CreateHost(builder);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            if (configure is not null) builder.ConfigureTestServices(services => services.PostConfigure(configure));
        }
    }
}
