using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Grpc.Tests.V1;
using Platform.TestSupport;

namespace Platform.Grpc.Tests;

/// <summary>ServiceDefaults' AddServiceGrpcClient: discovery, no HttpClient defaults, retries only where safe, default deadlines.</summary>
public sealed class ServiceGrpcClientTests
{
    [Fact]
    public async Task Resolves_the_named_grpc_endpoint_of_a_resource_through_service_discovery()
    {
        await using var server = await TestGrpcServer.StartAsync();
        await using var provider = BuildProvider(server, new()
        {
            // The HTTP/1.1 endpoint must not be picked for gRPC.
            ["services:tester:http:0"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

        var reply = await Client(provider).EchoAsync(new EchoRequest { Text = "discovered" }, deadline: Soon());

        Assert.Equal("discovered", reply.Text);
    }

    [Fact]
    public async Task HttpClient_defaults_do_not_reach_grpc_clients_and_streams_outlive_them()
    {
        await using var server = await TestGrpcServer.StartAsync();
        await using var provider = BuildProvider(server, more: services =>
            services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new RefusingHandler())));

        using var call = Client(provider).Count(new CountRequest { Count = 3 }, deadline: Soon());
        var count = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None)) count++;

        Assert.Equal(3, count);
    }

    [Fact]
    public async Task An_idempotent_unary_call_is_retried_on_UNAVAILABLE()
    {
        await using var server = await TestGrpcServer.StartAsync();
        server.Probe.FailUnavailableTimes = 2;
        await using var provider = BuildProvider(server);

        var reply = await Client(provider).EchoAsync(new EchoRequest { Text = "third time" }, deadline: Soon());

        Assert.Equal("third time", reply.Text);
        Assert.Equal(3, server.Probe.EchoCalls);
    }

    [Fact]
    public async Task Other_failures_and_calls_without_an_idempotency_level_are_not_retried()
    {
        await using var server = await TestGrpcServer.StartAsync();
        await using var provider = BuildProvider(server);
        var client = Client(provider);

        var internalError = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { FailCode = (int)StatusCode.Internal }, deadline: Soon()).ResponseAsync);
        Assert.Equal(StatusCode.Internal, internalError.StatusCode);
        Assert.Equal(1, server.Probe.EchoCalls);

        server.Probe.FailUnavailableTimes = int.MaxValue;
        var act = await Assert.ThrowsAsync<RpcException>(() => client.ActAsync(new EchoRequest(), deadline: Soon()).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, act.StatusCode);
        Assert.Equal(2, server.Probe.EchoCalls);
    }

    [Fact]
    public async Task A_client_stream_is_never_retried()
    {
        await using var server = await TestGrpcServer.StartAsync();
        server.Probe.FailUnavailableTimes = 1;
        await using var provider = BuildProvider(server);

        using var call = Client(provider).Sum(deadline: Soon());
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = "frame" });
            await call.RequestStream.CompleteAsync();
            await call;
        });

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(1, server.Probe.SumCalls);
    }

    [Fact]
    public async Task A_unary_call_without_a_deadline_gets_the_default_one()
    {
        await using var server = await TestGrpcServer.StartAsync();
        await using var provider = BuildProvider(server);

        var reply = await Client(provider).EchoAsync(new EchoRequest());

        Assert.InRange(reply.DeadlineRemainingMs, 1, (long)GrpcClientExtensions.DefaultUnaryDeadline.TotalMilliseconds);
    }

    [Fact]
    public void Only_the_idempotent_unary_methods_of_a_contract_get_a_retry_policy()
    {
        var names = GrpcClientExtensions.RetryPolicyFor(Platform.Contracts.Encoder.V1.Encoder.Descriptor)!.Names.Select(n => n.Method);

        Assert.Equal(["SetBitrate", "GetStats"], names);
    }

    private static DateTime Soon() => DateTime.UtcNow.AddSeconds(30);

    private static Tester.TesterClient Client(IServiceProvider provider) => provider.GetRequiredService<Tester.TesterClient>();

    private static ServiceProvider BuildProvider(TestGrpcServer server, Dictionary<string, string?>? configuration = null, Action<IServiceCollection>? more = null)
    {
        configuration ??= [];
        configuration["services:tester:grpc:0"] = server.Address;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        services.AddServiceGrpcClient<Tester.TesterClient>(Tester.Descriptor, _ => new Uri("http://_grpc.tester"));
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Stands for an HTTP-level handler (timeouts, re-sends) that gRPC calls must not go through.</summary>
    private sealed class RefusingHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("gRPC requests must not pass through HttpClient default handlers.");
    }
}
