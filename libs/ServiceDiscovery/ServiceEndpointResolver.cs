using Microsoft.Extensions.Configuration;

namespace Platform.ServiceDiscovery;

/// <summary>
/// Resolves a logical service address to a concrete one from configuration, the way Aspire hands endpoints to
/// services: <c>services:&lt;service&gt;:&lt;endpoint&gt;:&lt;index&gt;</c> (env <c>services__catalog__http__0</c>).
/// Accepted forms: <c>http://catalog</c> (endpoint named after the scheme), <c>https+http://catalog</c>
/// (https preferred, then http), and <c>http://_grpc.catalog</c> (the named endpoint "grpc").
/// Addresses that name no configured service are returned unchanged, so real host names keep working.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    public const string SectionName = "services";

    /// <summary>Returns the resolved absolute URI, or the input when no configured service matches.</summary>
    public Uri Resolve(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var (service, endpointNames) = Parse(address);
        foreach (var endpoint in endpointNames)
        {
            var configured = configuration[$"{SectionName}:{service}:{endpoint}:0"];
            if (string.IsNullOrWhiteSpace(configured)) continue;
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var baseUri))
                throw new InvalidOperationException(
                    $"Configuration '{SectionName}:{service}:{endpoint}:0' = '{configured}' is not an absolute URI; set it to e.g. http://127.0.0.1:5000.");
            var builder = new UriBuilder(address) { Scheme = baseUri.Scheme, Host = baseUri.Host, Port = baseUri.Port };
            return builder.Uri;
        }
        return address.Scheme.Contains('+') ? new UriBuilder(address) { Scheme = address.Scheme.Split('+')[^1] }.Uri : address;
    }

    /// <summary>True when configuration names at least one endpoint for <paramref name="service"/>.</summary>
    public bool IsKnownService(string service) => configuration.GetSection($"{SectionName}:{service}").Exists();

    private static (string Service, IEnumerable<string> EndpointNames) Parse(Uri address)
    {
        var host = address.Host;
        if (host.StartsWith('_') && host.IndexOf('.') is var dot and > 1)
            return (host[(dot + 1)..], [host[1..dot]]);
        return (host, address.Scheme.Split('+'));
    }
}
