using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Platform.Grpc.Tests;

/// <summary>grpc.health.v1 as ServiceDefaults serves it: bound to the app's ASP.NET Core health checks.</summary>
public sealed class HealthTests
{
    private sealed class Switch
    {
        public volatile bool Healthy = true;
    }

    [Fact]
    public async Task Check_of_the_server_follows_the_apps_health_checks()
    {
        var healthSwitch = new Switch();
        await using var server = await TestGrpcServer.StartAsync(services =>
            services.AddHealthChecks().AddCheck("switch", () => healthSwitch.Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off")));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var health = new Health.HealthClient(channel);

        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30))).Status);
        healthSwitch.Healthy = false;
        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30))).Status);
        healthSwitch.Healthy = true;
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30))).Status);
    }

    [Fact]
    public async Task Check_on_an_unknown_service_is_NOT_FOUND()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "no.Such" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }
}
