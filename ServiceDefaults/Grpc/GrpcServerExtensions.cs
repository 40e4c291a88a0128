using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// gRPC server defaults (Grpc.AspNetCore): the server, grpc.health.v1 answered from the app's ASP.NET Core health
/// checks, and server reflection, so that <c>grpcurl -plaintext host:port list</c> and <c>describe</c> work on every
/// gRPC endpoint. A service maps its own contracts with <c>app.MapGrpcService&lt;T&gt;()</c>.
/// </summary>
public static class GrpcServerExtensions
{
    public static TBuilder AddGrpcServerDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Each service keeps the 4 MiB receive limit unless it carries more (the encoder's Ingest raises its own).
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = builder.Environment.IsDevelopment());
        // Check("") runs every registered health check, as /health does.
        builder.Services.AddGrpcHealthChecks();
        builder.Services.AddGrpcReflection();
        return builder;
    }

    public static WebApplication MapGrpcDefaultEndpoints(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
