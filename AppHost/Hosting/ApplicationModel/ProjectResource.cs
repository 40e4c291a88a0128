namespace Aspire.Hosting.ApplicationModel;

/// <summary>A .NET project of the solution, started as <c>dotnet &lt;built dll&gt;</c> from its project folder.</summary>
public sealed class ProjectResource(string name, IProjectMetadata metadata)
    : Resource(name), IResourceWithEnvironment, IResourceWithServiceDiscovery, IResourceWithWaitSupport
{
    public IProjectMetadata Metadata { get; } = metadata;
}

/// <summary>A program on the machine (Aspire's <c>AddExecutable</c>).</summary>
public class ExecutableResource(string name, string command, string workingDirectory)
    : Resource(name), IResourceWithEnvironment, IResourceWithEndpoints, IResourceWithWaitSupport
{
    public string Command { get; } = command;

    public string WorkingDirectory { get; } = workingDirectory;
}

/// <summary>
/// The NATS server: the Debian <c>nats-server</c> executable locally (JetStream on), the <c>nats</c> container in the manifest.
/// </summary>
public sealed class NatsServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string MonitorEndpointName = "monitor";
    public const string ContainerImage = "nats:2.10";

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => new(
        "nats://", PrimaryEndpoint.Property(EndpointProperty.Host), ":", PrimaryEndpoint.Property(EndpointProperty.Port));
}
