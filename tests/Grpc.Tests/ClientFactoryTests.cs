using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Grpc.Tests.V1;
using Platform.TestSupport;

namespace Platform.Grpc.Tests;

public sealed class ClientFactoryTests
{
    [Fact]
    public async Task AddGrpcClient_resolves_a_resource_name_to_its_grpc_endpoint()
    {
        await using var server = await TestGrpcServer.StartAsync();
        await using var provider = BuildProvider(new Dictionary<string, string?>
        {
            // The HTTP/1.1 endpoint must not be picked for gRPC.
            ["services:tester:http:0"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["services:tester:grpc:0"] = server.Address,
        });

        var reply = await provider.GetRequiredService<Tester.TesterClient>().EchoAsync(new EchoRequest { Text = "discovered" });

        Assert.Equal("discovered", reply.Text);
    }

    [Fact]
    public async Task AddGrpcClient_reads_the_services_environment_variable_form()
    {
        await using var server = await TestGrpcServer.StartAsync();
        Environment.SetEnvironmentVariable("services__tester__grpc__0", server.Address);
        try
        {
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddEnvironmentVariables().Build());
            services.AddGrpcClient<Tester.TesterClient>(o => o.Address = new Uri("http://tester"));
            await using var provider = services.BuildServiceProvider();

            Assert.Equal("env", (await provider.GetRequiredService<Tester.TesterClient>().EchoAsync(new EchoRequest { Text = "env" })).Text);
        }
        finally
        {
            Environment.SetEnvironmentVariable("services__tester__grpc__0", null);
        }
    }

    [Fact]
    public async Task HttpClient_defaults_do_not_reach_grpc_clients_and_streams_outlive_them()
    {
        await using var server = await TestGrpcServer.StartAsync();
        await using var provider = BuildProvider(new Dictionary<string, string?> { ["services:tester:grpc:0"] = server.Address }, services =>
            services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new RefusingHandler())));

        using var call = provider.GetRequiredService<Tester.TesterClient>().Count(new CountRequest { Count = 3 });
        var count = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None)) count++;

        Assert.Equal(3, count);
    }

    private static ServiceProvider BuildProvider(Dictionary<string, string?> configuration, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        services.AddGrpcClient<Tester.TesterClient>(o => o.Address = new Uri("http://tester"));
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
