using Aspire.Hosting.ApplicationModel;

namespace Platform.AppHost;

/// <summary>Helpers that keep Program.cs short.</summary>
internal static class Extensions
{
    /// <summary>The service's gRPC endpoint: HTTP/2 without TLS (h2c), named <c>grpc</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithGrpcEndpoint(this IResourceBuilder<ProjectResource> builder)
        => builder.WithEndpoint("grpc", e =>
        {
            e.UriScheme = "http";
            e.Transport = "http2";
        });
}
