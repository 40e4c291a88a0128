using System.Globalization;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Platform.Grpc.Shared;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>One server call on one HTTP/2 request: deadline, metadata, status and trailers.</summary>
internal sealed partial class HttpContextServerCallContext : ServerCallContext, IDisposable
{
    private readonly IMethod _method;
    private readonly GrpcServiceOptions _options;
    private readonly ILogger _logger;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private CancellationTokenSource? _deadlineCts;
    private DateTime _deadline = DateTime.MaxValue;
    private volatile bool _deadlineExceeded;
    private Status _status = Status.DefaultSuccess;

    public HttpContextServerCallContext(HttpContext httpContext, IMethod method, GrpcServiceOptions options, ILogger logger)
    {
        HttpContext = httpContext;
        _method = method;
        _options = options;
        _logger = logger;
    }

    public HttpContext HttpContext { get; }

    public bool IsCompleted { get; private set; }

    public bool DeadlineExceeded => _deadlineExceeded;

    /// <summary>Set once a message went into the response body (possibly not flushed yet): the status then goes in trailers.</summary>
    public bool BodyWritten { get; set; }

    /// <summary>Reads the call's headers and starts the deadline timer.</summary>
    public void Initialize()
    {
        // A stream may stay open for hours and send rarely: Kestrel's body size and data-rate limits do not apply.
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxBody) maxBody.MaxRequestBodySize = null;
        if (HttpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRate) minRate.MinDataRate = null;

        GrpcResponse.PrepareHeaders(HttpContext.Response);

        var timeoutHeader = HttpContext.Request.Headers[GrpcProtocol.TimeoutHeader].ToString();
        if (timeoutHeader.Length == 0) return;
        if (!GrpcTimeout.TryParse(timeoutHeader, out var timeout))
        {
            LogInvalidTimeout(_logger, timeoutHeader);
            return;
        }
        _deadline = DateTime.UtcNow + timeout;
        _deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(HttpContext.RequestAborted);
        _deadlineCts.Token.UnsafeRegister(static state =>
        {
            var self = (HttpContextServerCallContext)state!;
            if (!self.HttpContext.RequestAborted.IsCancellationRequested) self._deadlineExceeded = true;
        }, this);
        if (timeout <= TimeSpan.Zero) _deadlineCts.Cancel();
        else if (timeout.TotalMilliseconds < int.MaxValue) _deadlineCts.CancelAfter(timeout);
    }

    /// <summary>The status to send once the handler has returned normally.</summary>
    public Status StatusAfterHandler() => _deadlineExceeded ? DeadlineExceededStatus : _status;

    public Status StatusFromException(Exception exception)
    {
        if (_deadlineExceeded) return DeadlineExceededStatus;
        if (exception is RpcException rpc)
        {
            foreach (var entry in rpc.Trailers) ResponseTrailersCore.Add(entry);
            return rpc.Status;
        }
        if (HttpContext.RequestAborted.IsCancellationRequested)
            return new Status(StatusCode.Cancelled, "Call canceled by the client.");
        LogHandlerError(_logger, _method.FullName, exception);
        var detail = _options.EnableDetailedErrors == true
            ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
            : "Exception was thrown by handler.";
        return new Status(StatusCode.Unknown, detail, exception);
    }

    /// <summary>Sends the status (Trailers-Only when nothing was sent yet).</summary>
    public void EndCall(Status status)
    {
        IsCompleted = true;
        if (HttpContext.RequestAborted.IsCancellationRequested) return;
        GrpcResponse.SetStatus(HttpContext.Response, status, _responseTrailers, BodyWritten);
    }

    public void Dispose() => _deadlineCts?.Dispose();

    private static readonly Status DeadlineExceededStatus = new(StatusCode.DeadlineExceeded, "Deadline Exceeded");

    protected override string MethodCore => "/" + _method.FullName;
    protected override string HostCore => HttpContext.Request.Host.Value ?? "";
    protected override string PeerCore
    {
        get
        {
            var connection = HttpContext.Connection;
            if (connection.RemoteIpAddress is not { } ip) return "unknown";
            var family = ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6:[" + ip + "]" : "ipv4:" + ip;
            return family + ":" + connection.RemotePort.ToString(CultureInfo.InvariantCulture);
        }
    }
    protected override DateTime DeadlineCore => _deadline;
    protected override Metadata RequestHeadersCore => _requestHeaders ??= ReadRequestHeaders();
    protected override CancellationToken CancellationTokenCore => _deadlineCts?.Token ?? HttpContext.RequestAborted;
    protected override Metadata ResponseTrailersCore => _responseTrailers ??= [];
    protected override Status StatusCore { get => _status; set => _status = value; }
    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override async Task WriteResponseHeadersAsyncCore(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        var response = HttpContext.Response;
        if (response.HasStarted) throw new InvalidOperationException("Response headers can only be sent once per call.");
        foreach (var entry in responseHeaders)
        {
            if (GrpcProtocol.IsReservedHeader(entry.Key)) continue;
            response.Headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
        }
        await response.BodyWriter.FlushAsync(CancellationTokenCore).ConfigureAwait(false);
    }

    private Metadata ReadRequestHeaders()
    {
        var metadata = new Metadata();
        foreach (var header in HttpContext.Request.Headers)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key)) continue;
            foreach (var value in header.Value)
            {
                if (value is not null) MetadataHeaders.AddFromHeader(metadata, header.Key, value);
            }
        }
        return metadata;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Ignoring invalid grpc-timeout header '{TimeoutHeader}'.")]
    private static partial void LogInvalidTimeout(ILogger logger, string timeoutHeader);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "gRPC handler for {Method} threw; the caller gets UNKNOWN.")]
    private static partial void LogHandlerError(ILogger logger, string method, Exception exception);
}
