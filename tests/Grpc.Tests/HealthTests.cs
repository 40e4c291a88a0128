using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Platform.Grpc.Tests;

public sealed class HealthTests
{
    private sealed class Switch
    {
        public volatile bool Healthy = true;
    }

    private static Task<TestGrpcServer> StartAsync(Switch healthSwitch) => TestGrpcServer.StartAsync(services =>
        services.AddHealthChecks().AddCheck("switch", () => healthSwitch.Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off")));

    [Fact]
    public async Task Check_reports_the_apps_health_checks_for_the_server_and_each_mapped_service()
    {
        var healthSwitch = new Switch();
        await using var server = await StartAsync(healthSwitch);
        using var channel = GrpcChannel.ForAddress(server.Address);
        var health = new Health.HealthClient(channel);

        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "platform.test.v1.Tester" })).Status);

        healthSwitch.Healthy = false;
        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Check_on_an_unknown_service_is_NOT_FOUND()
    {
        await using var server = await StartAsync(new Switch());
        using var channel = GrpcChannel.ForAddress(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "no.Such" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Watch_sends_the_current_status_then_each_change()
    {
        var healthSwitch = new Switch();
        await using var server = await StartAsync(healthSwitch);
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var watch = new Health.HealthClient(channel).Watch(new HealthCheckRequest(), cancellationToken: cts.Token);

        Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(ServingStatus.Serving, watch.ResponseStream.Current.Status);
        healthSwitch.Healthy = false;
        Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(ServingStatus.NotServing, watch.ResponseStream.Current.Status);
        healthSwitch.Healthy = true;
        Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(ServingStatus.Serving, watch.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Watch_on_an_unknown_service_says_SERVICE_UNKNOWN()
    {
        await using var server = await StartAsync(new Switch());
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var watch = new Health.HealthClient(channel).Watch(new HealthCheckRequest { Service = "no.Such" }, deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.ServiceUnknown, watch.ResponseStream.Current.Status);
    }
}
