using System.Net;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>ServiceDefaults' /health and /alive, on the recorder's real Program (ServiceDefaults and nothing else).</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Health_follows_the_nats_connection_while_alive_stays_up()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var service = await ServiceProgram.StartAsync<Program>(new Dictionary<string, string?> { ["ConnectionStrings:nats"] = nats.Url });
        using var http = new HttpClient { BaseAddress = service.HttpAddress };

        await Eventually.WaitAsync(async () => (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK, "/health 200 once NATS is connected");
        Assert.Equal("Healthy", await http.GetStringAsync("/alive"));

        // Reconnecting is degraded (Aspire.NATS.Net's check): still 200, and the body says so.
        await nats.StopAsync();
        await Eventually.WaitAsync(async () => await http.GetStringAsync("/health") == "Degraded", "/health Degraded while NATS is down");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);

        await nats.RestartAsync();
        await Eventually.WaitAsync(async () => (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK, "/health 200 after NATS comes back", TimeSpan.FromSeconds(20));
    }
}
