using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Grpc.Tests.V1;

namespace Platform.Grpc.Tests;

public sealed class ClientFactoryTests
{
    [Fact]
    public async Task AddGrpcClient_resolves_a_resource_name_through_services_config()
    {
        await using var server = await TestGrpcServer.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["services:tester:grpc:0"] = server.Address })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddGrpcClient<Tester.TesterClient>(o => o.Address = new Uri("http://tester"));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<Tester.TesterClient>();
        var reply = await client.EchoAsync(new EchoRequest { Text = "discovered" });

        Assert.Equal("discovered", reply.Text);
    }

    [Fact]
    public void Resolver_reads_the_environment_variable_form_and_leaves_other_hosts_alone()
    {
        Environment.SetEnvironmentVariable("services__safety-authority__grpc__0", "http://localhost:5123");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();

            Assert.Equal(new Uri("http://localhost:5123/"), ServiceEndpointResolver.Resolve(new Uri("http://safety-authority"), configuration));
            Assert.Equal(new Uri("http://10.0.0.1:80/"), ServiceEndpointResolver.Resolve(new Uri("http://10.0.0.1:80"), configuration));
        }
        finally
        {
            Environment.SetEnvironmentVariable("services__safety-authority__grpc__0", null);
        }
    }

    [Fact]
    public void Resolver_rejects_a_malformed_endpoint_with_a_clear_message()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["services:encoder:grpc:0"] = "not a url" })
            .Build();

        var ex = Assert.Throws<InvalidOperationException>(() => ServiceEndpointResolver.Resolve(new Uri("http://encoder"), configuration));
        Assert.Contains("services:encoder:grpc:0", ex.Message, StringComparison.Ordinal);
    }
}
