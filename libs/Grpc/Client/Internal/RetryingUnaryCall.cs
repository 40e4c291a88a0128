using Grpc.Core;
using Polly;

namespace Grpc.Net.Client.Internal;

/// <summary>
/// A unary call retried through the channel's Polly pipeline while attempts fail with UNAVAILABLE. Backoff waits end at
/// the call's deadline (then DEADLINE_EXCEEDED) or its cancellation; status, headers and trailers are the last attempt's.
/// </summary>
internal sealed class RetryingUnaryCall<TRequest, TResponse> where TRequest : class where TResponse : class
{
    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cts;
    private GrpcCall<TRequest, TResponse>? _attempt;
    private Status? _status;
    private volatile bool _disposed;

    private RetryingUnaryCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _cts = options.CancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken) : new CancellationTokenSource();
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) _cts.Cancel();
            else if (remaining.TotalMilliseconds < int.MaxValue) _cts.CancelAfter(remaining);
        }
    }

    public static AsyncUnaryCall<TResponse> Start(GrpcChannel channel, ResiliencePipeline pipeline, Method<TRequest, TResponse> method, CallOptions options, TRequest request)
    {
        var call = new RetryingUnaryCall<TRequest, TResponse>(channel, method, options);
        var response = call.RunAsync(pipeline, request);
        var headers = response.ContinueWith(_ => call._attempt?.ResponseHeadersAsync ?? Task.FromException<Metadata>(new RpcException(call.GetStatus())),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
        return new AsyncUnaryCall<TResponse>(response, headers, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private async Task<TResponse> RunAsync(ResiliencePipeline pipeline, TRequest request)
    {
        var context = ResilienceContextPool.Shared.Get(_cts.Token);
        try
        {
            return await pipeline.ExecuteAsync(static async (ctx, state) =>
            {
                var (self, request) = state;
                var attempt = new GrpcCall<TRequest, TResponse>(self._channel, self._method, self._options);
                var previous = Interlocked.Exchange(ref self._attempt, attempt);
                previous?.Dispose();
                attempt.StartWithMessage(request);
                return await attempt.ReadSingleResponseAsync().ConfigureAwait(false);
            }, context, (this, request)).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            // Cancelled while waiting between attempts: the deadline or the caller ended it.
            var deadlinePassed = _options.Deadline is { } d && d != DateTime.MaxValue && !_options.CancellationToken.IsCancellationRequested && !_disposed;
            _status = deadlinePassed ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded", ex) : new Status(StatusCode.Cancelled, "Call canceled by the client.", ex);
            throw new RpcException(_status.Value);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Status GetStatus() => _status ?? _attempt?.GetStatus() ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    private Metadata GetTrailers() => _status is not null ? Metadata.Empty : _attempt?.GetTrailers() ?? throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");

    private void Dispose()
    {
        _disposed = true;
        _cts.Cancel();
        _attempt?.Dispose();
    }
}
