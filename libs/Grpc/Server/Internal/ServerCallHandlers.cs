using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Grpc.AspNetCore.Server.Internal;

internal sealed class UnaryServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method, Func<TService, TRequest, ServerCallContext, Task<TResponse>> invoker, GrpcServiceOptions options, ILogger logger)
    : ServerCallHandlerBase<TService, TRequest, TResponse>(method, options, logger)
    where TService : class where TRequest : class where TResponse : class
{
    protected override async Task HandleCoreAsync(HttpContextServerCallContext call, TService service)
    {
        var request = await ReadSingleRequestAsync(call).ConfigureAwait(false);
        var response = await invoker(service, request, call).ConfigureAwait(false);
        WriteSingleResponse(call, response);
    }
}

internal sealed class ServerStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method, Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker, GrpcServiceOptions options, ILogger logger)
    : ServerCallHandlerBase<TService, TRequest, TResponse>(method, options, logger)
    where TService : class where TRequest : class where TResponse : class
{
    protected override async Task HandleCoreAsync(HttpContextServerCallContext call, TService service)
    {
        var request = await ReadSingleRequestAsync(call).ConfigureAwait(false);
        await invoker(service, request, CreateWriter(call), call).ConfigureAwait(false);
    }
}

internal sealed class ClientStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method, Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> invoker, GrpcServiceOptions options, ILogger logger)
    : ServerCallHandlerBase<TService, TRequest, TResponse>(method, options, logger)
    where TService : class where TRequest : class where TResponse : class
{
    protected override async Task HandleCoreAsync(HttpContextServerCallContext call, TService service)
    {
        var response = await invoker(service, CreateReader(call), call).ConfigureAwait(false);
        WriteSingleResponse(call, response);
    }
}

internal sealed class DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method, Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker, GrpcServiceOptions options, ILogger logger)
    : ServerCallHandlerBase<TService, TRequest, TResponse>(method, options, logger)
    where TService : class where TRequest : class where TResponse : class
{
    protected override Task HandleCoreAsync(HttpContextServerCallContext call, TService service) =>
        invoker(service, CreateReader(call), CreateWriter(call), call);
}
