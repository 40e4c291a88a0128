using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Endpoint conventions of the platform's services.</summary>
public static class ProjectResourceBuilderExtensions
{
    /// <summary>
    /// The service's gRPC endpoint, <c>grpc</c> in its Kestrel configuration: HTTP/2 without TLS (h2c), which the
    /// manifest and service discovery need to know.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGrpcEndpoint(this IResourceBuilder<ProjectResource> builder)
        => builder.WithEndpoint("grpc", endpoint => endpoint.Transport = "http2");
}
