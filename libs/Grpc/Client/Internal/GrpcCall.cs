using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Platform.Grpc.Shared;

namespace Grpc.Net.Client.Internal;

/// <summary>
/// One client call on one HTTP/2 request: sends the request (one message, or a stream written by the caller), reads the
/// response headers, messages and trailers, and turns every failure into a <see cref="Status"/>.
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : ICallLifetime, IDisposable
    where TRequest : class where TResponse : class
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cts;
    private readonly DateTime? _deadline;
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Activity? _activity;
    private Task<HttpResponseMessage>? _send;
    private HttpResponseMessage? _response;
    private PipeReader? _reader;
    private StreamingRequestContent? _requestContent;
    private Status? _status;
    private Metadata? _trailers;
    private RpcException? _failure;
    private int _finished;
    private volatile bool _cancelledLocally;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _cts = options.CancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken) : new CancellationTokenSource();
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            _deadline = deadline.Kind == DateTimeKind.Local ? deadline.ToUniversalTime() : deadline;
            var remaining = _deadline.Value - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) _cts.Cancel();
            else if (remaining.TotalMilliseconds < int.MaxValue) _cts.CancelAfter(remaining);
        }
        _activity = GrpcDiagnostics.StartClientActivity(method);
        ResponseHeadersAsync = _headers.Task;
    }

    public Task<Metadata> ResponseHeadersAsync { get; }

    public TResponse Current { get; private set; } = default!;

    public Status GetStatus() => _status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    public Metadata GetTrailers() => _trailers ?? throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");

    public AsyncCallState CreateState() => new(ResponseHeadersAsync, GetStatus, GetTrailers, Dispose);

    /// <summary>Starts a call that sends one request message (unary, server streaming).</summary>
    public void StartWithMessage(TRequest request)
    {
        if (IsDeadlineExceeded()) return;
        try
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            FramingSerializationContext.Write(buffer, _method.RequestMarshaller, request, _channel.MaxSendMessageSize, "request");
            var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
            content.Headers.ContentType = GrpcContentType;
            _send = _channel.SendAsync(CreateRequest(content), _cts.Token);
        }
        catch (Exception ex)
        {
            _send = Task.FromException<HttpResponseMessage>(ex);
        }
    }

    /// <summary>Starts a call whose request messages the caller writes (client streaming, duplex).</summary>
    public IClientStreamWriter<TRequest> StartStreaming()
    {
        _requestContent = new StreamingRequestContent();
        _requestContent.Headers.ContentType = GrpcContentType;
        var writer = new ClientStreamWriter<TRequest>(this, _requestContent, _method.RequestMarshaller, _channel.MaxSendMessageSize, _cts.Token);
        if (!IsDeadlineExceeded()) _send = _channel.SendAsync(CreateRequest(_requestContent), _cts.Token);
        return writer;
    }

    /// <summary>The single response of a unary or client-streaming call.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        try
        {
            var reader = await GetReaderAsync().ConfigureAwait(false);
            if (reader is null)
            {
                var ended = _status!.Value.StatusCode == StatusCode.OK ? new Status(StatusCode.Internal, "The server sent OK without a response message.") : _status.Value;
                throw Finish(ended, _trailers!)!;
            }
            var (read, message) = await MessageFraming.ReadMessageAsync(
                reader, _method.ResponseMarshaller.ContextualDeserializer, _channel.MaxReceiveMessageSize, "response", _cts.Token).ConfigureAwait(false);
            if (read) await MessageFraming.ReadToEndAsync(reader, "response", _cts.Token).ConfigureAwait(false);
            var (status, trailers) = ReadTrailers();
            if (status.StatusCode == StatusCode.OK && !read) status = new Status(StatusCode.Internal, "The server sent OK without a response message.");
            var failure = Finish(status, trailers);
            if (failure is not null) throw failure;
            return message;
        }
        catch (Exception ex) when (ex is not RpcException || _finished == 0)
        {
            throw FinishWith(ex);
        }
    }

    /// <summary>The next message of a server-streaming or duplex call; false after an OK end.</summary>
    public async Task<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _finished) != 0)
        {
            if (_failure is not null) throw _failure;
            return false;
        }
        using var registration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((GrpcCall<TRequest, TResponse>)s!).CancelLocally(), this) : default;
        try
        {
            var reader = await GetReaderAsync().ConfigureAwait(false);
            if (reader is null) return Finish(_status!.Value, _trailers!) is { } ended ? throw ended : false;
            var (read, message) = await MessageFraming.ReadMessageAsync(
                reader, _method.ResponseMarshaller.ContextualDeserializer, _channel.MaxReceiveMessageSize, "response", _cts.Token).ConfigureAwait(false);
            if (read)
            {
                Current = message;
                return true;
            }
            var (status, trailers) = ReadTrailers();
            var failure = Finish(status, trailers);
            if (failure is not null) throw failure;
            return false;
        }
        catch (Exception ex) when (ex is not RpcException || _finished == 0)
        {
            throw FinishWith(ex);
        }
    }

    /// <summary>The status to throw from a write when the call has already ended.</summary>
    public RpcException? Failure => Volatile.Read(ref _finished) != 0 ? _failure ?? new RpcException(new Status(StatusCode.OK, "The call is complete.")) : null;

    public RpcException FinishWith(Exception exception) => Finish(MapException(exception), Metadata.Empty) ?? _failure ?? new RpcException(MapException(exception));

    private void CancelLocally()
    {
        _cancelledLocally = true;
        _cts.Cancel();
    }

    public void Dispose()
    {
        _cancelledLocally = true;
        Finish(new Status(StatusCode.Cancelled, "The call was disposed."), Metadata.Empty);
        _response?.Dispose();
    }

    private bool IsDeadlineExceeded()
    {
        if (!_cts.IsCancellationRequested) return false;
        Finish(MapException(new OperationCanceledException()), Metadata.Empty);
        _send = Task.FromException<HttpResponseMessage>(_failure!);
        return true;
    }

    private HttpRequestMessage CreateRequest(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _channel.GetUri(_method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, "trailers");
        headers.TryAddWithoutValidation("user-agent", "grpc-dotnet-platform/1.0");
        if (_deadline is { } deadline)
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(deadline - DateTime.UtcNow));
        var hasTraceParent = false;
        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                if (GrpcProtocol.IsReservedHeader(entry.Key)) continue;
                hasTraceParent |= entry.Key == GrpcProtocol.TraceParentHeader;
                headers.TryAddWithoutValidation(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }
        if (!hasTraceParent && (_activity ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TraceParentHeader, activity.Id);
            if (activity.TraceStateString is { Length: > 0 } state) headers.TryAddWithoutValidation(GrpcProtocol.TraceStateHeader, state);
        }
        return request;
    }

    /// <summary>Awaits the response headers; null when the call already ended there (Trailers-Only or an HTTP error).</summary>
    private async ValueTask<PipeReader?> GetReaderAsync()
    {
        if (_reader is not null) return _reader;
        var response = await (_send ?? throw new InvalidOperationException("The call was not started.")).ConfigureAwait(false);
        _response = response;
        var headerMetadata = ToMetadata(response.Headers);
        _headers.TrySetResult(headerMetadata);
        if (response.Headers.Contains(GrpcProtocol.StatusHeader))
        {
            _status = ParseStatus(response.Headers, null);
            _trailers = headerMetadata;
            return null;
        }
        if (response.StatusCode != HttpStatusCode.OK)
        {
            _status = new Status(FromHttpStatus(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}.");
            _trailers = Metadata.Empty;
            return null;
        }
        if (!GrpcProtocol.IsGrpcContentType(response.Content.Headers.ContentType?.MediaType))
        {
            _status = new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {response.Content.Headers.ContentType}.");
            _trailers = Metadata.Empty;
            return null;
        }
        var stream = await response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false);
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(minimumReadSize: 4096, leaveOpen: true));
        return _reader;
    }

    private (Status, Metadata) ReadTrailers()
    {
        var trailers = _response!.TrailingHeaders;
        return (ParseStatus(trailers, "No grpc-status found on response."), ToMetadata(trailers));
    }

    private static Status ParseStatus(HttpHeaders headers, string? missing)
    {
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var values))
            return new Status(StatusCode.Internal, missing ?? "No grpc-status found on response.");
        var text = values.FirstOrDefault();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            return new Status(StatusCode.Internal, $"Unexpected grpc-status value: '{text}'.");
        var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages) ? StatusMessageEncoding.Decode(messages.FirstOrDefault()) : "";
        return new Status((StatusCode)code, message);
    }

    private static Metadata ToMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers.NonValidated)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key)) continue;
            foreach (var value in header.Value) MetadataHeaders.AddFromHeader(metadata, header.Key, value);
        }
        return metadata;
    }

    /// <summary>Ends the call once: records status, trailers and telemetry, aborts the HTTP/2 stream if still open. Returns the exception for a non-OK status.</summary>
    private RpcException? Finish(Status status, Metadata trailers)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return _failure;
        _status = status;
        _trailers = trailers;
        if (status.StatusCode != StatusCode.OK)
        {
            _failure = new RpcException(status, trailers);
            _headers.TrySetException(_failure);
            _requestContent?.Abort();
            // RST_STREAM(CANCEL) to the server if the request or response is still open.
            _cts.Cancel();
            _response?.Dispose();
        }
        else
        {
            _requestContent?.Complete();
            _cts.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        GrpcDiagnostics.ClientCallEnded(_method, status.StatusCode, _started, _activity);
        if (status.StatusCode == StatusCode.OK) _response?.Dispose();
        return _failure;
    }

    private Status MapException(Exception exception)
    {
        if (exception is RpcException rpc) return rpc.Status;
        // The only other sources of _cts's cancellation are the caller's tokens and Dispose.
        if (_deadline is not null && _cts.IsCancellationRequested && !_cancelledLocally && !_options.CancellationToken.IsCancellationRequested)
            return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded", exception);
        if (exception is OperationCanceledException || _cts.IsCancellationRequested)
            return new Status(StatusCode.Cancelled, "Call canceled by the client.", exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException protocol) return new Status(FromHttp2ErrorCode(protocol.ErrorCode), $"HTTP/2 stream error {protocol.ErrorCode}: {protocol.Message}", exception);
        }
        if (exception is HttpRequestException or IOException)
            return new Status(StatusCode.Unavailable, $"Error talking to {_channel.Address}: {exception.GetType().Name}: {exception.Message}", exception);
        return new Status(StatusCode.Internal, $"Error in gRPC call: {exception.GetType().Name}: {exception.Message}", exception);
    }

    private static StatusCode FromHttp2ErrorCode(long code) => code switch
    {
        0x7 => StatusCode.Unavailable,
        0x8 => StatusCode.Cancelled,
        0xB => StatusCode.ResourceExhausted,
        0xC => StatusCode.PermissionDenied,
        _ => StatusCode.Internal,
    };

    private static StatusCode FromHttpStatus(HttpStatusCode code) => (int)code switch
    {
        400 or 431 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
