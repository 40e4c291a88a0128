using Grpc.Core;
using Polly;

namespace Grpc.Net.Client.Internal;

/// <summary>The channel's <see cref="CallInvoker"/>: one <see cref="GrpcCall{TRequest,TResponse}"/> per call (per attempt when retrying).</summary>
internal sealed class HttpClientCallInvoker(GrpcChannel channel) : CallInvoker
{
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        => AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        if (channel.RetryPipeline is { } pipeline) return RetryingUnaryCall<TRequest, TResponse>.Start(channel, pipeline, method, options, request);
        var call = new GrpcCall<TRequest, TResponse>(channel, method, options);
        call.StartWithMessage(request);
        return new AsyncUnaryCall<TResponse>(call.ReadSingleResponseAsync(), call.CreateState());
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new GrpcCall<TRequest, TResponse>(channel, method, options);
        call.StartWithMessage(request);
        return new AsyncServerStreamingCall<TResponse>(new ClientStreamReader<TResponse>(call, () => call.Current), call.CreateState());
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new GrpcCall<TRequest, TResponse>(channel, method, options);
        var writer = call.StartStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(writer, call.ReadSingleResponseAsync(), call.CreateState());
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new GrpcCall<TRequest, TResponse>(channel, method, options);
        var writer = call.StartStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(writer, new ClientStreamReader<TResponse>(call, () => call.Current), call.CreateState());
    }
}
