using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>ServiceDefaults' HttpClient defaults: Microsoft.Extensions.ServiceDiscovery and the standard resilience handler.</summary>
public sealed class HttpClientDefaultsTests
{
    /// <summary>The standard handler's retries, with 10 ms instead of 2 s between them.</summary>
    private static void QuickRetries(WebApplicationBuilder builder)
        => builder.Services.ConfigureAll<HttpStandardResilienceOptions>(o => o.Retry.Delay = TimeSpan.FromMilliseconds(10));

    [Fact]
    public async Task Clients_resolve_resource_names_and_retry_transient_failures()
    {
        await using var nats = await NatsServer.StartAsync();
        var calls = 0;
        await using var backend = await TestService.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:nats"] = nats.Url },
            app => app.MapGet("/flaky", () => Interlocked.Increment(ref calls) < 3 ? Results.StatusCode(503) : Results.Text("ok")));
        await using var caller = await TestService.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:nats"] = nats.Url,
            ["services:backend:http:0"] = backend.Address.ToString(),
        }, configure: QuickRetries);

        var client = caller.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        var response = await client.GetAsync("http://backend/flaky");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        await using var nats = await NatsServer.StartAsync();
        var calls = 0;
        await using var backend = await TestService.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:nats"] = nats.Url },
            app => app.MapGet("/missing", () => { Interlocked.Increment(ref calls); return Results.NotFound(); }));
        await using var caller = await TestService.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:nats"] = nats.Url,
            ["services:backend:http:0"] = backend.Address.ToString(),
        }, configure: QuickRetries);

        var client = caller.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("http://backend/missing")).StatusCode);
        Assert.Equal(1, calls);
    }
}
