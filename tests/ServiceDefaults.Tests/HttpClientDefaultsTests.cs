using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>ServiceDefaults' HttpClient defaults (Microsoft.Extensions.ServiceDiscovery and the standard resilience handler), in the recorder's real Program.</summary>
public sealed class HttpClientDefaultsTests
{
    /// <summary>The standard handler's retries, with 10 ms instead of 2 s between them.</summary>
    private static void QuickRetries(IServiceCollection services)
        => services.ConfigureAll<HttpStandardResilienceOptions>(o => o.Retry.Delay = TimeSpan.FromMilliseconds(10));

    private static Task<ServiceProgram> StartCallerAsync(NatsServer nats, ServiceProgram backend)
        => ServiceProgram.StartAsync<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:nats"] = nats.Url,
            ["services:backend:http:0"] = backend.HttpAddress.ToString(),
        }, QuickRetries);

    [Fact]
    public async Task Clients_resolve_resource_names_and_retry_transient_failures()
    {
        await using var nats = await NatsServer.StartAsync();
        var calls = 0;
        await using var backend = await ServiceProgram.StartAsync<Program>(
            new Dictionary<string, string?> { ["ConnectionStrings:nats"] = nats.Url },
            TestRoutes.Map("/flaky", async context =>
            {
                if (Interlocked.Increment(ref calls) < 3) context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                else await context.Response.WriteAsync("ok");
            }));
        await using var caller = await StartCallerAsync(nats, backend);

        var client = caller.Get<IHttpClientFactory>().CreateClient();
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
        await using var backend = await ServiceProgram.StartAsync<Program>(
            new Dictionary<string, string?> { ["ConnectionStrings:nats"] = nats.Url },
            TestRoutes.Map("/missing", context =>
            {
                Interlocked.Increment(ref calls);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }));
        await using var caller = await StartCallerAsync(nats, backend);

        var client = caller.Get<IHttpClientFactory>().CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("http://backend/missing")).StatusCode);
        Assert.Equal(1, calls);
    }
}
