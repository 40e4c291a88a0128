using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>
/// The origin policy on /stream/ws and /ws/signals (BrowserEdge:AllowedOrigins): a browser page of another origin is
/// refused with 403 and logged; the page's own origin, local development pages and tools that send no Origin are not.
/// </summary>
public sealed class WebSocketOriginTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    [Fact]
    public async Task A_cross_origin_upgrade_is_refused_with_403_on_both_endpoints_and_logged()
    {
        await using var transport = await TransportServer.StartAsync(nats.Server.Url);
        using var logs = new CollectingLoggerProvider();
        transport.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);

        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketUpgrade.StatusAsync(transport.SignalsUrl(), "https://evil.example:8080"));
        // The page's own host under another scheme or port is another origin too; so is an opaque one.
        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), "null"));
        Assert.Empty(transport.Hub.Clients);

        var refused = logs.Logger.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("refused", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.Contains(refused, m => m.Contains("origin http://evil.example is not allowed", StringComparison.Ordinal) && m.Contains("/stream/ws", StringComparison.Ordinal));
        Assert.Contains(refused, m => m.Contains("origin https://evil.example:8080 is not allowed", StringComparison.Ordinal) && m.Contains("/ws/signals", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_pages_own_origin_and_local_development_pages_are_accepted()
    {
        await using var transport = await TransportServer.StartAsync(nats.Server.Url);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), transport.BaseUrl));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(transport.SignalsUrl(), transport.BaseUrl));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), "http://localhost:5173"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(transport.SignalsUrl(), "https://127.0.0.1:8443"));
    }

    [Fact]
    public async Task Tools_that_send_no_Origin_are_accepted()
    {
        await using var transport = await TransportServer.StartAsync(nats.Server.Url);

        // The npm ws client sends no Origin: it gets the welcome message like any client.
        await using var peer = NodePeer.Start("transport-ws-client.mjs", transport.StreamUrl("client=tool").ToString());
        await peer.WaitForLineAsync(l => l.Contains("transport.welcome", StringComparison.Ordinal), Eventually.DefaultTimeout);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(transport.SignalsUrl(), origin: null));
    }

    [Fact]
    public async Task A_configured_allow_list_replaces_the_development_origins()
    {
        await using var transport = await TransportServer.StartAsync(nats.Server.Url, settings: new Dictionary<string, string?>
        {
            ["BrowserEdge:AllowedOrigins:0"] = "https://ops.example.com",
            ["BrowserEdge:AllowedOrigins:1"] = "http://console.example:*",
        });

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), "https://ops.example.com"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), "http://console.example:3000"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), transport.BaseUrl));
        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), "http://ops.example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), "https://ops.example.com:8443"));
        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), "http://localhost:5173"));
    }

    [Fact]
    public async Task A_malformed_allowed_origin_stops_the_service_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TransportServer.StartAsync(nats.Server.Url, settings: new Dictionary<string, string?>
        {
            ["BrowserEdge:AllowedOrigins:0"] = "ops.example.com/viewer",
        }));
        Assert.Contains("BrowserEdge:AllowedOrigins", error.ToString(), StringComparison.Ordinal);
    }
}
