using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class NatsBuilderExtensions
{
    /// <summary>
    /// Adds a NATS server: locally the Debian <c>nats-server</c> executable with JetStream on, its store under the AppHost's
    /// state folder and a monitoring port whose <c>/healthz</c> is its health; in the manifest the <c>nats:2.10</c> container.
    /// </summary>
    public static IResourceBuilder<NatsServerResource> AddNats(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        var nats = new NatsServerResource(name, "nats-server", builder.AppHostDirectory);
        var tcp = new EndpointAnnotation(NatsServerResource.PrimaryEndpointName)
        {
            UriScheme = "tcp", Transport = "tcp", Port = port, TargetPort = 4222, TargetHost = "127.0.0.1",
        };
        var monitor = new EndpointAnnotation(NatsServerResource.MonitorEndpointName)
        {
            UriScheme = "http", TargetHost = "127.0.0.1", ExcludeFromManifest = true,
        };
        return builder.AddResource(nats)
            .WithAnnotation(tcp)
            .WithAnnotation(monitor)
            .WithAnnotation(new HealthProbeAnnotation(NatsServerResource.MonitorEndpointName, "/healthz"))
            .WithAnnotation(new CommandLineArgsAnnotation(context =>
            [
                "--name", name,
                "-a", tcp.TargetHost, "-p", tcp.GetPort().ToString(CultureInfo.InvariantCulture),
                "-m", monitor.GetPort().ToString(CultureInfo.InvariantCulture),
                "-js", "-sd", Path.Combine(context.StateDirectory, "jetstream"),
            ]));
    }
}
