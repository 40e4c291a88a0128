using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Platform.TestSupport;

namespace Platform.IntegrationTests;

/// <summary>Every service's gRPC endpoint, as grpcurl would see it: server reflection lists its contract, health and reflection.</summary>
[Collection(SharedPlatform.Name)]
public sealed class GrpcReflectionTests(PlatformFixture fixture)
{
    [Theory]
    [InlineData("sim-runner", "platform.sim.v1.SimControl")]
    [InlineData("safety-authority", "platform.safety.v1.SafetyAuthority")]
    [InlineData("encoder", "platform.encoder.v1.Encoder")]
    [InlineData("transport", null)]
    [InlineData("recorder", null)]
    [InlineData("telemetry-tailer", null)]
    public async Task GrpcJs_reflection_lists_the_services_of_each_grpc_endpoint(string resource, string? contract)
    {
        var address = fixture.Platform.App.GetEndpoint(resource, "grpc");

        var output = await NodePeer.RunAsync("grpc-reflection.mjs", TimeSpan.FromSeconds(60), $"{address.Host}:{address.Port}", "grpc.health.v1.Health/Check", "{}");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var services = lines.Single(l => l.GetProperty("op").GetString() == "list").GetProperty("services").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", services);
        if (contract is not null) Assert.Contains(contract, services);
        var health = lines.Single(l => l.GetProperty("op").GetString() == "call");
        Assert.True(health.GetProperty("code").GetInt32() == 0, output);
        Assert.Equal("SERVING", health.GetProperty("reply").GetProperty("status").GetString());
    }
}
