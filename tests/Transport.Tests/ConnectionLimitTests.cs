using System.Net;
using System.Net.WebSockets;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>The browser edge's limits: WebSocket connection attempts per client address, request body size.</summary>
public sealed class ConnectionLimitTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    [Fact]
    public async Task Connection_attempts_beyond_the_limit_get_429_until_the_window_ends()
    {
        await using var transport = await TransportServer.StartAsync(nats.Server.Url, settings: new Dictionary<string, string?>
        {
            ["BrowserEdge:ConnectionPermitLimit"] = "3",
            ["BrowserEdge:ConnectionWindow"] = "00:00:02",
        });

        // Attempts until one is refused: at most 3 pass in any one window, so the limit engages within a few.
        string? retryAfter = null;
        await Eventually.WaitAsync(async () =>
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(transport.SignalsUrl(), CancellationToken.None);
                socket.Abort();
                return false;
            }
            catch (WebSocketException) when (socket.HttpStatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter = socket.HttpResponseHeaders?.TryGetValue("Retry-After", out var values) == true ? values.First() : null;
                return true;
            }
        }, "a connection attempt refused with 429");
        Assert.True(int.TryParse(retryAfter, out var seconds) && seconds is > 0 and <= 2, $"Retry-After: {retryAfter}");

        // Plain HTTP (the page, the probes) is not counted.
        using var http = new HttpClient { BaseAddress = new Uri(transport.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);

        // The next window lets the address in again.
        await Eventually.WaitAsync(async () => await WebSocketUpgrade.StatusAsync(transport.StreamUrl(), origin: null) == HttpStatusCode.SwitchingProtocols,
            "a connection accepted once the window has passed");
    }

    [Fact]
    public async Task Request_bodies_over_64_KiB_are_refused()
    {
        await using var transport = await TransportServer.StartAsync(nats.Server.Url);
        var kestrel = transport.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(64 * 1024, kestrel.Limits.MaxRequestBodySize);

        // The one endpoint that reads a request body: gRPC (health). Under the bound a request is answered; over it,
        // Kestrel stops reading long before gRPC's own 4 MB message limit.
        using var channel = GrpcChannel.ForAddress(transport.GrpcAddress);
        var health = new Health.HealthClient(channel);
        var small = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = new string('a', 60 * 1024) }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, small.StatusCode);
        var large = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = new string('a', 100 * 1024) }).ResponseAsync);
        Assert.NotEqual(StatusCode.NotFound, large.StatusCode);
    }
}
