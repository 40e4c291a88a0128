using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration with the shape of Microsoft.Extensions.ServiceDiscovery.</summary>
public static class ServiceDiscoveryExtensions
{
    /// <summary>Registers the <see cref="ServiceEndpointResolver"/> used by HttpClient and gRPC clients.</summary>
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        services.TryAddSingleton<ServiceEndpointResolver>();
        services.TryAddTransient<ServiceDiscoveryHttpMessageHandler>();
        return services;
    }

    /// <summary>Resolves this client's logical addresses (http://catalog) through service discovery.</summary>
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder)
    {
        builder.Services.AddServiceDiscovery();
        builder.AddHttpMessageHandler<ServiceDiscoveryHttpMessageHandler>();
        // As Microsoft.Extensions.ServiceDiscovery does: a GrpcChannel on this client otherwise connects to the
        // unresolved host through its own load balancer and never sees the address the handler above rewrites.
        builder.ConfigurePrimaryHttpMessageHandler((handler, _) =>
        {
            if (handler is SocketsHttpHandler sockets) sockets.Properties["__GrpcLoadBalancingDisabled"] = true;
        });
        return builder;
    }
}
