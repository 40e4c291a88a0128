using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Platform.TestSupport;

namespace Platform.Nats.Tests;

public sealed class HostingTests
{
    private static HostApplicationBuilder Builder(string? connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        if (connectionString is not null)
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:nats"] = connectionString });
        return builder;
    }

    [Fact]
    public async Task Host_starts_without_nats_and_health_follows_the_connection()
    {
        var port = FreePort.Next();
        var builder = Builder($"nats://127.0.0.1:{port}");
        builder.AddNatsClient("nats", o => o.ReconnectWaitMax = TimeSpan.FromMilliseconds(200));
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(5)); // must not wait for NATS

        var health = host.Services.GetRequiredService<HealthCheckService>();
        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(["nats"], report.Entries.Keys);

        await using (var server = await NatsServer.StartOnPortAsync(port))
        {
            await Eventually.WaitAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "health turns healthy once NATS is up", TimeSpan.FromSeconds(15));
            var nats = host.Services.GetRequiredService<INatsConnection>();
            Assert.Same(nats, host.Services.GetRequiredService<INatsConnection>());
            Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
            Assert.Equal(TimeSpan.FromMilliseconds(200), nats.Opts.ReconnectWaitMax);
        }
        await Eventually.WaitAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Unhealthy, "health turns unhealthy when NATS dies");
        await host.StopAsync();
    }

    [Fact]
    public void Missing_connection_string_fails_with_what_to_set()
    {
        var builder = Builder(null);
        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddNatsClient("nats"));
        Assert.Contains("ConnectionStrings:nats", ex.Message);
    }

    [Fact]
    public void Telemetry_names_are_the_ones_service_defaults_subscribe_to()
    {
        Assert.Equal("Platform.Nats", NatsTelemetry.ActivitySourceName);
        Assert.Equal("Platform.Nats", NatsTelemetry.MeterName);
    }
}
