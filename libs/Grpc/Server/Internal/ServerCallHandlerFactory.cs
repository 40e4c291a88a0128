using System.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>Builds the handler of each method of <typeparamref name="TService"/>, calling the service's override through an open delegate.</summary>
internal sealed class ServerCallHandlerFactory<TService>(IOptions<GrpcServiceOptions> options, ILoggerFactory loggerFactory) where TService : class
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Grpc.AspNetCore.Server.ServerCallHandler");

    public RequestDelegate CreateUnary<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class
    {
        var invoker = Invoker<Func<TService, TRequest, ServerCallContext, Task<TResponse>>>(method, typeof(TRequest), typeof(ServerCallContext));
        return new UnaryServerCallHandler<TService, TRequest, TResponse>(method, invoker, options.Value, _logger).HandleCallAsync;
    }

    public RequestDelegate CreateServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class
    {
        var invoker = Invoker<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>(
            method, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        return new ServerStreamingServerCallHandler<TService, TRequest, TResponse>(method, invoker, options.Value, _logger).HandleCallAsync;
    }

    public RequestDelegate CreateClientStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class
    {
        var invoker = Invoker<Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>>(
            method, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
        return new ClientStreamingServerCallHandler<TService, TRequest, TResponse>(method, invoker, options.Value, _logger).HandleCallAsync;
    }

    public RequestDelegate CreateDuplexStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class
    {
        var invoker = Invoker<Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>>(
            method, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        return new DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(method, invoker, options.Value, _logger).HandleCallAsync;
    }

    private static TDelegate Invoker<TDelegate>(IMethod method, params Type[] parameterTypes) where TDelegate : Delegate
    {
        var info = typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameterTypes)
            ?? throw new InvalidOperationException($"{typeof(TService)} has no public method {method.Name} for gRPC method {method.FullName}.");
        return (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), info);
    }
}
