using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Platform.AppHost.Tests;

/// <summary>The app model Program.cs declares, read from the real AppHost without starting it.</summary>
public sealed class AppModelTests
{
    private static async Task<IList<IResource>> PlatformResourcesAsync()
        => (await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>()).Resources;

    [Fact]
    public async Task Program_declares_the_seven_resources_with_only_the_dependencies_code_has()
    {
        var resources = await PlatformResourcesAsync();
        var platform = resources.Where(r => r is NatsServerResource or ProjectResource).ToDictionary(r => r.Name);

        Assert.Equal(["encoder", "nats", "recorder", "safety-authority", "sim-runner", "telemetry-tailer", "transport"], platform.Keys.Order());
        Assert.IsType<NatsServerResource>(platform["nats"]);
        foreach (var project in platform.Values.OfType<ProjectResource>())
        {
            // Everything needs NATS to start; nothing waits for anything else (video is a soft dependency).
            Assert.Equal(["nats"], project.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name));
            Assert.True(project.TryGetLastAnnotation<RestartOnFailureAnnotation>(out _), project.Name);
            var grpc = project.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "grpc");
            Assert.Equal("http2", grpc.Transport);
        }
        Assert.True(platform["nats"].TryGetLastAnnotation<RestartOnFailureAnnotation>(out _));
        // WithReference only where code uses it: every service's NATS connection, and the sim's gRPC client of the encoder.
        Assert.Equal(["encoder", "nats"], References(platform["sim-runner"]));
        foreach (var name in new[] { "safety-authority", "encoder", "transport", "recorder", "telemetry-tailer" })
            Assert.Equal(["nats"], References(platform[name]));

        var viewer = platform["transport"].Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");
        Assert.Equal(8080, viewer.Port);
        Assert.True(viewer.IsExternal);
    }

    private static string[] References(IResource resource) => [.. resource.Annotations.OfType<ResourceRelationshipAnnotation>()
        .Where(r => r.Type == "Reference").Select(r => r.Resource.Name).Distinct().Order()];
}
