using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>Collects the methods the generated <c>BindService(ServiceBinderBase, TService)</c> reports, with their handlers.</summary>
internal sealed class ServiceMethodBinder<TService>(ServerCallHandlerFactory<TService> factory) : ServiceBinderBase where TService : class
{
    public List<(IMethod Method, RequestDelegate Handler)> Methods { get; } = [];

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        => Methods.Add((method, factory.CreateUnary(method)));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        => Methods.Add((method, factory.CreateServerStreaming(method)));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        => Methods.Add((method, factory.CreateClientStreaming(method)));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        => Methods.Add((method, factory.CreateDuplexStreaming(method)));
}
