using System.Reflection;
using Grpc.AspNetCore.Server.Internal;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary><c>endpoints.MapGrpcService&lt;TService&gt;()</c>, as in Grpc.AspNetCore: one POST endpoint per method at /package.Service/Method.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder builder) where TService : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var registry = builder.ServiceProvider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("gRPC services are not registered: call services.AddGrpc() before MapGrpcService<T>().");
        var binder = new ServiceMethodBinder<TService>(builder.ServiceProvider.GetRequiredService<ServerCallHandlerFactory<TService>>());
        FindBindMethod(typeof(TService)).Invoke(null, [binder, null]);

        var conventions = new List<IEndpointConventionBuilder>();
        foreach (var (method, handler) in binder.Methods)
        {
            registry.Add(method.ServiceName, method.Name);
            conventions.Add(builder.MapPost("/" + method.FullName, handler).WithDisplayName("gRPC - /" + method.FullName).WithMetadata(method));
        }
        UnimplementedEndpoints.Map(builder, registry);
        return new CompositeConventionBuilder(conventions);
    }

    /// <summary>The generated <c>BindService(ServiceBinderBase, TServiceBase)</c>, found through <see cref="BindServiceMethodAttribute"/>.</summary>
    private static MethodInfo FindBindMethod(Type serviceType)
    {
        for (var type = serviceType; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } attribute) continue;
            return attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(ServiceBinderBase), type])
                ?? throw new InvalidOperationException($"{attribute.BindType} has no static {attribute.BindMethodName}(ServiceBinderBase, {type.Name}).");
        }
        throw new InvalidOperationException($"{serviceType} does not derive from a generated gRPC service base class (no [BindServiceMethod]).");
    }

    private sealed class CompositeConventionBuilder(List<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var b in builders) b.Add(convention);
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var b in builders) b.Finally(finallyConvention);
        }
    }
}
