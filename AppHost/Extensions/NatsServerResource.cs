namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A NATS server run from Debian's <c>nats-server</c> executable (Aspire.Hosting.Nats, which runs the container image,
/// is not served here). Same name, endpoint and connection string as that package's resource, so switching is one line.
/// </summary>
public sealed class NatsServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "nats-server", workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    internal const string MonitorEndpointName = "monitor";

    private EndpointReference? _primaryEndpoint;

    /// <summary>The client port (4222 by default).</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary><c>nats://host:port</c>, as Aspire.Hosting.Nats gives it without credentials.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"nats://{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
