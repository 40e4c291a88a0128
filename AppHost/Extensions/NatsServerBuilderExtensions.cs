using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary><c>AddNatsServer</c>: the shape of Aspire.Hosting.Nats's <c>AddNats</c> on the local nats-server executable.</summary>
public static partial class NatsServerBuilderExtensions
{
    /// <summary>The configuration key that moves the AppHost's state folder (tests give each run its own).</summary>
    public const string StateDirectoryKey = "Platform:StateDirectory";

    /// <summary>
    /// Adds nats-server bound to 127.0.0.1 only, with a client endpoint (<c>tcp</c>) and a monitoring endpoint whose
    /// <c>/healthz</c> is its health. Install it with <c>sudo apt-get install nats-server</c> (eng/install-deps.sh does).
    /// </summary>
    public static IResourceBuilder<NatsServerResource> AddNatsServer(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var nats = new NatsServerResource(name, builder.AppHostDirectory);
        // Without the executable DCP only says the process failed to start: say which package to install instead.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(nats, (e, _) =>
        {
            if (!OnPath(nats.Command))
            {
                LogNotInstalled(e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(nats), nats.Command);
            }
            return Task.CompletedTask;
        });
        // Locally the ports are free-assigned (several AppHosts and test runs side by side); deployed, NATS's defaults.
        var publish = builder.ExecutionContext.IsPublishMode;
        return builder.AddResource(nats)
            .WithEndpoint(port: port, targetPort: publish ? 4222 : port, name: NatsServerResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithHttpEndpoint(targetPort: publish ? 8222 : null, name: NatsServerResource.MonitorEndpointName, isProxied: false)
            .WithEndpoint(NatsServerResource.PrimaryEndpointName, e => e.TargetHost = "127.0.0.1")
            .WithHttpHealthCheck("/healthz", endpointName: NatsServerResource.MonitorEndpointName)
            .WithArgs(context =>
            {
                context.Args.Add("--name");
                context.Args.Add(name);
                // nats-server listens on every interface unless told otherwise; locally nothing outside needs it.
                if (context.ExecutionContext.IsRunMode)
                {
                    context.Args.Add("-a");
                    context.Args.Add("127.0.0.1");
                }
                context.Args.Add("-p");
                context.Args.Add(nats.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("-m");
                context.Args.Add(nats.GetEndpoint(NatsServerResource.MonitorEndpointName).Property(EndpointProperty.TargetPort));
            });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Command} is not installed: run `sudo apt-get install nats-server` (or `bash eng/install-deps.sh`), then start this resource again")]
    private static partial void LogNotInstalled(ILogger logger, string command);

    private static bool OnPath(string command)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, command)));

    /// <summary>
    /// Turns JetStream on (<c>-js</c>). Locally its store is the AppHost's state folder (.state/&lt;name&gt;/jetstream beside
    /// the AppHost, or <see cref="StateDirectoryKey"/>), kept across runs: the authority's latched ESTOP survives a
    /// restart of the whole app. A deployment gives the server its own volume.
    /// </summary>
    public static IResourceBuilder<NatsServerResource> WithJetStream(this IResourceBuilder<NatsServerResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = builder.ApplicationBuilder.Configuration[StateDirectoryKey];
        var stateDirectory = string.IsNullOrWhiteSpace(configured) ? Path.Combine(builder.ApplicationBuilder.AppHostDirectory, ".state") : configured;
        // nats-server keeps its streams in <store>/jetstream.
        var store = Path.GetFullPath(Path.Combine(stateDirectory, builder.Resource.Name));
        return builder.WithArgs(context =>
        {
            context.Args.Add("-js");
            if (!context.ExecutionContext.IsRunMode) return;
            Directory.CreateDirectory(store);
            context.Args.Add("-sd");
            context.Args.Add(store);
        });
    }
}
