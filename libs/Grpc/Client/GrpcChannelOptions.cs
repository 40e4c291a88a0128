using Microsoft.Extensions.Logging;

namespace Grpc.Net.Client;

/// <summary>Options of a <see cref="GrpcChannel"/> (as Grpc.Net.Client's, plus <see cref="Retry"/>).</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>Handler to send requests through; by default a SocketsHttpHandler set up for HTTP/2 (h2c with prior knowledge for http://).</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Client to send requests through (e.g. from IHttpClientFactory); its Timeout should be infinite.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Dispose <see cref="HttpClient"/> or <see cref="HttpHandler"/> with the channel.</summary>
    public bool DisposeHttpClient { get; set; }

    /// <summary>Largest response message accepted (RESOURCE_EXHAUSTED above). Null = no limit.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest request message sent (RESOURCE_EXHAUSTED above). Null = no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Retries of unary calls that fail with UNAVAILABLE (Polly, exponential backoff with jitter, within the deadline). Null = none.</summary>
    public GrpcRetryOptions? Retry { get; set; } = new();
}

/// <summary>How unary calls are retried when they fail with UNAVAILABLE (and only then).</summary>
public sealed class GrpcRetryOptions
{
    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; set; } = 4;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(2);
}
