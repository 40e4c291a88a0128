using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Testing;

namespace Platform.AppHost.Tests;

public sealed class AppModelTests
{
    private static async Task<IList<IResource>> PlatformResourcesAsync()
        => (await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>()).Resources;

    [Fact]
    public async Task ProgramDeclaresTheSevenResourcesWithTheirReferencesAndWaits()
    {
        var resources = await PlatformResourcesAsync();

        Assert.Equal(["nats", "safety-authority", "encoder", "sim-runner", "transport", "recorder", "telemetry-tailer"], resources.Select(r => r.Name));
        Assert.IsType<NatsServerResource>(resources[0]);
        string[] References(string name) => [.. resources.Single(r => r.Name == name).Annotations.OfType<ResourceReferenceAnnotation>().Select(a => a.Target.Name)];
        string[] Waits(string name) => [.. resources.Single(r => r.Name == name).Annotations.OfType<WaitAnnotation>().Select(a => a.Target.Name)];
        Assert.Equal(["nats", "safety-authority", "encoder"], References("sim-runner"));
        Assert.Equal(["nats", "encoder", "safety-authority", "sim-runner"], References("transport"));
        Assert.Equal(["nats", "encoder"], References("recorder"));
        Assert.Equal(["nats"], References("telemetry-tailer"));
        foreach (var project in resources.OfType<ProjectResource>())
        {
            Assert.Contains("nats", Waits(project.Name));
            Assert.Equal(References(project.Name).Order(), Waits(project.Name).Order());
            var grpc = project.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "grpc");
            Assert.Equal("http2", grpc.Transport);
            Assert.True(File.Exists(project.Metadata.ProjectPath), project.Metadata.ProjectPath);
            Assert.True(File.Exists(project.Metadata.TargetPath), project.Metadata.TargetPath);
        }
        var transportHttp = resources.Single(r => r.Name == "transport").Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");
        Assert.Equal(8080, transportHttp.Port);
        Assert.True(transportHttp.IsExternal);
    }

    [Fact]
    public async Task ProjectGetsAspiresEnvironment()
    {
        var resources = await PlatformResourcesAsync();
        var port = 41000;
        foreach (var endpoint in resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>())) endpoint.AllocatedPorts = [port++];
        var transport = resources.Single(r => r.Name == "transport");
        string Url(string resource, string endpoint) => resources.Single(r => r.Name == resource).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == endpoint).GetUrl();

        var env = EnvironmentBuilder.ForRun(transport, 0, "transport-abc", "http://localhost:18889");

        var natsPort = resources[0].Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "tcp").GetPort();
        Assert.Equal($"nats://127.0.0.1:{natsPort}", env["ConnectionStrings__nats"]);
        foreach (var reference in new[] { "encoder", "safety-authority", "sim-runner" })
        {
            Assert.Equal(Url(reference, "http"), env[$"services__{reference}__http__0"]);
            Assert.Equal(Url(reference, "grpc"), env[$"services__{reference}__grpc__0"]);
        }
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("services__recorder", StringComparison.Ordinal));
        Assert.Equal("http://localhost:18889", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("transport", env["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=transport-abc", env["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal(Url("transport", "http"), env["Kestrel__Endpoints__http__Url"]);
        Assert.Equal(Url("transport", "grpc"), env["Kestrel__Endpoints__grpc__Url"]);
        Assert.Equal("Http2", env["Kestrel__Endpoints__grpc__Protocols"]);
        Assert.False(env.ContainsKey("Kestrel__Endpoints__http__Protocols"));
        Assert.Equal($"{Url("transport", "http")};{Url("transport", "grpc")}", env["ASPNETCORE_URLS"]);
        Assert.Equal("Development", env["ASPNETCORE_ENVIRONMENT"]);
    }

    [Fact]
    public void WithEnvironmentResolvesEndpointsAndConnectionStrings()
    {
        var builder = TestApps.CreateBuilder();
        var api = builder.AddExecutable("api", "/bin/true", ".").WithHttpEndpoint(env: "PORT");
        var nats = builder.AddNats("nats");
        var web = builder.AddExecutable("web", "/bin/true", ".")
            .WithEnvironment("API_URL", api.GetEndpoint("http"))
            .WithEnvironment("BUS", nats)
            .WithEnvironment("GREETING", "hello");
        api.Resource.Annotations.OfType<EndpointAnnotation>().Single().AllocatedPorts = [5001];
        nats.Resource.Annotations.OfType<EndpointAnnotation>().First().AllocatedPorts = [4223];

        var env = EnvironmentBuilder.ForRun(web.Resource, 0, "web-1", null);
        Assert.Equal("http://localhost:5001", env["API_URL"]);
        Assert.Equal("nats://127.0.0.1:4223", env["BUS"]);
        Assert.Equal("hello", env["GREETING"]);
        Assert.Equal("5001", EnvironmentBuilder.ForRun(api.Resource, 0, "api-1", null)["PORT"]);

        var manifest = EnvironmentBuilder.ForManifest(web.Resource);
        Assert.Equal("{api.bindings.http.url}", manifest["API_URL"]);
        Assert.Equal("nats://{nats.bindings.tcp.host}:{nats.bindings.tcp.port}", manifest["BUS"]);
    }

    [Fact]
    public void ReplicasOfAProjectAreListedOneByOne()
    {
        var builder = TestApps.CreateBuilder();
        var api = builder.AddProject<Projects.AppHost>("api").WithHttpEndpoint().WithReplicas(2);
        var client = builder.AddProject<Projects.AppHost>("client").WithReference(api);
        api.Resource.Annotations.OfType<EndpointAnnotation>().Single().AllocatedPorts = [5001, 5002];

        var env = EnvironmentBuilder.ForRun(client.Resource, 0, "client-1", null);

        Assert.Equal("http://localhost:5001", env["services__api__http__0"]);
        Assert.Equal("http://localhost:5002", env["services__api__http__1"]);
        Assert.Equal("{api.bindings.http.url}", EnvironmentBuilder.ForManifest(client.Resource)["services__api__http__0"]);
    }

    [Fact]
    public void BadModelsFailWithTheirReason()
    {
        var builder = TestApps.CreateBuilder();
        var api = builder.AddExecutable("api", "/bin/true", ".").WithHttpEndpoint();
        Assert.Contains("already has an endpoint named 'http'", Assert.Throws<DistributedApplicationException>(() => api.WithHttpEndpoint()).Message);
        Assert.Contains("already exists", Assert.Throws<DistributedApplicationException>(() => builder.AddExecutable("api", "/bin/true", ".")).Message);
        Assert.Contains("invalid", Assert.Throws<ArgumentException>(() => builder.AddExecutable("Not_A_Name", "/bin/true", ".")).Message);
        Assert.Contains("itself", Assert.Throws<DistributedApplicationException>(() => api.WaitFor(api)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddProject<Projects.AppHost>("p").WithReplicas(0));
    }
}
