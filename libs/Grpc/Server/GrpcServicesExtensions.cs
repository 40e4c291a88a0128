using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddGrpc()</c>, as in Grpc.AspNetCore.</summary>
public static class GrpcServicesExtensions
{
    public static IGrpcServerBuilder AddGrpc(this IServiceCollection services, Action<GrpcServiceOptions>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.AddOptions<GrpcServiceOptions>();
        if (configureOptions is not null) services.Configure(configureOptions);
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton(typeof(ServerCallHandlerFactory<>));
        return new GrpcServerBuilder(services);
    }
}
