using Grpc.AspNetCore.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary><c>services.AddGrpcHealthChecks()</c>, as in Grpc.AspNetCore.HealthChecks.</summary>
    public static class GrpcHealthChecksServiceExtensions
    {
        public static IHealthChecksBuilder AddGrpcHealthChecks(this IServiceCollection services, Action<GrpcHealthChecksOptions>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(services);
            services.AddGrpc();
            services.AddOptions<GrpcHealthChecksOptions>();
            if (configure is not null) services.Configure(configure);
            services.TryAddSingleton<HealthServiceImpl>();
            return services.AddHealthChecks();
        }
    }
}

namespace Microsoft.AspNetCore.Builder
{
    /// <summary><c>endpoints.MapGrpcHealthChecksService()</c>: grpc.health.v1.Health (Check, Watch) on the gRPC endpoint.</summary>
    public static class GrpcHealthChecksEndpointRouteBuilderExtensions
    {
        public static IEndpointConventionBuilder MapGrpcHealthChecksService(this IEndpointRouteBuilder builder) => builder.MapGrpcService<HealthServiceImpl>();
    }
}
