using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client.Internal;
using Polly;
using Polly.Retry;

namespace Grpc.Net.Client;

/// <summary>A gRPC channel over HttpClient/SocketsHttpHandler (as Grpc.Net.Client's): <c>new XClient(GrpcChannel.ForAddress(...))</c>.</summary>
public sealed class GrpcChannel : ChannelBase, IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly bool _disposeInvoker;
    private readonly ConcurrentDictionary<IMethod, Uri> _methodUris = new();
    private readonly HttpClientCallInvoker _callInvoker;

    private GrpcChannel(Uri address, GrpcChannelOptions options) : base(address.Authority)
    {
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"Address '{address}' must be http:// (h2c) or https://.", nameof(address));
        Address = address;
        if (options.HttpClient is { } client)
        {
            _invoker = client;
            _disposeInvoker = options.DisposeHttpClient;
        }
        else
        {
            _invoker = new HttpMessageInvoker(options.HttpHandler ?? CreateDefaultHandler(), disposeHandler: options.HttpHandler is null || options.DisposeHttpClient);
            _disposeInvoker = true;
        }
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        MaxSendMessageSize = options.MaxSendMessageSize;
        RetryPipeline = options.Retry is { MaxAttempts: > 1 } retry ? CreateRetryPipeline(retry) : null;
        _callInvoker = new HttpClientCallInvoker(this);
    }

    public Uri Address { get; }

    internal int? MaxReceiveMessageSize { get; }
    internal int? MaxSendMessageSize { get; }
    internal ResiliencePipeline? RetryPipeline { get; }

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) => ForAddress(new Uri(address), options);

    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    public override CallInvoker CreateCallInvoker() => _callInvoker;

    /// <summary>The handler a channel uses unless given one: HTTP/2 only, several connections when streams run out, keep-alive pings.</summary>
    public static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        EnableMultipleHttp2Connections = true,
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // The call puts traceparent into its metadata itself; the handler must not add a second one.
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
    };

    internal Uri GetUri(IMethod method) => _methodUris.GetOrAdd(method, static (m, address) =>
        new Uri(address.GetLeftPart(UriPartial.Authority) + address.AbsolutePath.TrimEnd('/') + "/" + m.FullName), Address);

    internal Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker is HttpClient client
            ? client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            : _invoker.SendAsync(request, cancellationToken);

    public void Dispose()
    {
        if (_disposeInvoker) _invoker.Dispose();
    }

    private static ResiliencePipeline CreateRetryPipeline(GrpcRetryOptions retry) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => e.StatusCode == StatusCode.Unavailable),
            MaxRetryAttempts = retry.MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = retry.InitialBackoff,
            MaxDelay = retry.MaxBackoff,
        })
        .Build();
}
