using Microsoft.Extensions.Configuration;

namespace Grpc.Net.ClientFactory;

/// <summary>Aspire-style service discovery from configuration: <c>services:&lt;name&gt;:grpc:0</c> holds the endpoint of resource &lt;name&gt;.</summary>
public static class ServiceEndpointResolver
{
    public const string EndpointName = "grpc";

    /// <summary>The configured endpoint for <paramref name="address"/>'s host, or <paramref name="address"/> itself.</summary>
    public static Uri Resolve(Uri address, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (configuration is null) return address;
        var configured = configuration[$"services:{address.Host}:{EndpointName}:0"];
        if (string.IsNullOrWhiteSpace(configured)) return address;
        if (!Uri.TryCreate(configured, UriKind.Absolute, out var endpoint))
            throw new InvalidOperationException($"services:{address.Host}:{EndpointName}:0 = '{configured}' is not an absolute URL (expected e.g. http://localhost:5001).");
        var path = address.AbsolutePath == "/" ? endpoint.AbsolutePath : address.AbsolutePath;
        return new UriBuilder(endpoint) { Path = path }.Uri;
    }
}
