using Platform.ServiceDiscovery;

namespace Grpc.Net.ClientFactory;

/// <summary>gRPC's use of service discovery: a resource's "grpc" endpoint (the HTTP/2 one) before its scheme-named one.</summary>
internal static class GrpcEndpointResolution
{
    public const string EndpointName = "grpc";

    public static Uri Resolve(ServiceEndpointResolver resolver, Uri address)
    {
        if (address.Host.StartsWith('_')) return resolver.Resolve(address);
        var named = new UriBuilder(address) { Host = $"_{EndpointName}.{address.Host}" }.Uri;
        var resolved = resolver.Resolve(named);
        return resolved.Host != named.Host ? resolved : resolver.Resolve(address);
    }
}
