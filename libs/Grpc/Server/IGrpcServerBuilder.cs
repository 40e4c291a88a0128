using Microsoft.Extensions.DependencyInjection;

namespace Grpc.AspNetCore.Server;

/// <summary>Returned by <c>AddGrpc</c>, for further configuration.</summary>
public interface IGrpcServerBuilder
{
    IServiceCollection Services { get; }
}

internal sealed class GrpcServerBuilder(IServiceCollection services) : IGrpcServerBuilder
{
    public IServiceCollection Services { get; } = services;
}
