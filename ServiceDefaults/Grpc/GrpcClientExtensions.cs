using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>AddGrpcClient&lt;TClient&gt;()</c> (Grpc.Net.ClientFactory) with the platform's call policy:
/// <list type="bullet">
/// <item>the address is resolved through service discovery, e.g. <c>http://_grpc.encoder</c> for the encoder's
/// endpoint named "grpc";</item>
/// <item>the HttpClient defaults' other handlers (the standard resilience handler) are left out: their attempt
/// timeouts would cut long streams and a re-sent request cannot replay a streamed body;</item>
/// <item>instead, gRPC's own retry policy retries UNAVAILABLE, and only for the unary methods the contract marks
/// <c>idempotency_level</c> IDEMPOTENT or NO_SIDE_EFFECTS; streams (such as Encoder.Ingest) are never retried;</item>
/// <item>a unary call made without a deadline gets <see cref="DefaultUnaryDeadline"/>.</item>
/// </list>
/// Registers the service discovery services itself (<c>AddServiceDiscovery()</c> adds them once, whoever calls it first).
/// </summary>
public static class GrpcClientExtensions
{
    public static readonly TimeSpan DefaultUnaryDeadline = TimeSpan.FromSeconds(10);

    public static IHttpClientBuilder AddServiceGrpcClient<TClient>(
        this IServiceCollection services, ServiceDescriptor contract, Func<IServiceProvider, Uri> address)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(address);
        services.AddServiceDiscovery();
        var builder = services.AddGrpcClient<TClient>((sp, o) => o.Address = address(sp))
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear())
            .AddServiceDiscovery()
            .AddInterceptor(() => new DefaultDeadlineInterceptor(DefaultUnaryDeadline));
        if (RetryPolicyFor(contract) is { } retry)
            builder.ConfigureChannel(o => o.ServiceConfig = new ServiceConfig { MethodConfigs = { retry } });
        return builder;
    }

    /// <summary>UNAVAILABLE retried (up to 4 attempts, 100 ms to 2 s apart with jitter) on the contract's idempotent unary methods.</summary>
    public static MethodConfig? RetryPolicyFor(ServiceDescriptor contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var idempotent = contract.Methods
            .Where(m => !m.IsClientStreaming && !m.IsServerStreaming)
            .Where(m => m.GetOptions()?.IdempotencyLevel is MethodOptions.Types.IdempotencyLevel.Idempotent or MethodOptions.Types.IdempotencyLevel.NoSideEffects)
            .Select(m => new MethodName { Service = contract.FullName, Method = m.Name })
            .ToList();
        if (idempotent.Count == 0) return null;
        var config = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 4,
                InitialBackoff = TimeSpan.FromMilliseconds(100),
                MaxBackoff = TimeSpan.FromSeconds(2),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var name in idempotent) config.Names.Add(name);
        return config;
    }

    private sealed class DefaultDeadlineInterceptor(TimeSpan timeout) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
            => continuation(request, WithDeadline(context));

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
            => continuation(request, WithDeadline(context));

        private ClientInterceptorContext<TRequest, TResponse> WithDeadline<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
            where TRequest : class where TResponse : class
            => context.Options.Deadline is null
                ? new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithDeadline(DateTime.UtcNow + timeout))
                : context;
    }
}
