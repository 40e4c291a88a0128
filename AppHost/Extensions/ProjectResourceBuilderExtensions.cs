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

    /// <summary>
    /// Remote operators over TLS (README): with a PEM pair in the AppHost's configuration (<c>OperatorTls:CertificatePath</c>
    /// and <c>OperatorTls:KeyPath</c>), the service's browser endpoint <c>http</c> serves https and wss on its port, on
    /// every interface, with that certificate as Kestrel's default. Without them nothing changes: the page stays plain HTTP
    /// on localhost (a secure context already). Run mode only; a deployment ends TLS at its Ingress.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOperatorTls(this IResourceBuilder<ProjectResource> builder)
    {
        var app = builder.ApplicationBuilder;
        if (!app.ExecutionContext.IsRunMode || app.Configuration["OperatorTls:CertificatePath"] is not { Length: > 0 } certificate)
            return builder;
        var key = app.Configuration["OperatorTls:KeyPath"] is { Length: > 0 } k ? k
            : throw new InvalidOperationException("OperatorTls:CertificatePath is set but OperatorTls:KeyPath is not: give the PEM private key of the certificate too.");
        var endpoint = builder.GetEndpoint("http");
        return builder
            // Not proxied: DCP's proxy listens on localhost only, and the operator is on another machine.
            .WithEndpoint("http", e =>
            {
                e.UriScheme = "https";
                e.IsProxied = false;
            })
            .WithEnvironment("Kestrel__Certificates__Default__Path", Path.GetFullPath(certificate))
            .WithEnvironment("Kestrel__Certificates__Default__KeyPath", Path.GetFullPath(key))
            // Aspire keeps the host of the service's Kestrel configuration (localhost); this replaces it with every interface.
            .WithEnvironment(context => context.EnvironmentVariables["Kestrel__Endpoints__http__Url"] =
                ReferenceExpression.Create($"https://*:{endpoint.Property(EndpointProperty.TargetPort)}"));
    }
}
