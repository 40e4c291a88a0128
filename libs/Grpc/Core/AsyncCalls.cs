using System.Runtime.CompilerServices;

namespace Grpc.Core;

/// <summary>The pieces every call object exposes after (or while) the call runs.</summary>
public sealed class AsyncCallState
{
    private readonly Func<Status> _getStatus;
    private readonly Func<Metadata> _getTrailers;
    private readonly Action _dispose;

    public AsyncCallState(Task<Metadata> responseHeadersAsync, Func<Status> getStatus, Func<Metadata> getTrailers, Action dispose)
    {
        ResponseHeadersAsync = responseHeadersAsync;
        _getStatus = getStatus;
        _getTrailers = getTrailers;
        _dispose = dispose;
    }

    internal Task<Metadata> ResponseHeadersAsync { get; }
    internal Status GetStatus() => _getStatus();
    internal Metadata GetTrailers() => _getTrailers();
    internal void Dispose() => _dispose();
}

/// <summary>A unary call in progress.</summary>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly AsyncCallState _state;

    public AsyncUnaryCall(Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
        : this(responseAsync, new AsyncCallState(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction))
    {
    }

    public AsyncUnaryCall(Task<TResponse> responseAsync, AsyncCallState state)
    {
        ResponseAsync = responseAsync;
        _state = state;
    }

    public Task<TResponse> ResponseAsync { get; }
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
    public ConfiguredTaskAwaitable<TResponse> ConfigureAwait(bool continueOnCapturedContext) => ResponseAsync.ConfigureAwait(continueOnCapturedContext);
    public Status GetStatus() => _state.GetStatus();
    public Metadata GetTrailers() => _state.GetTrailers();
    public void Dispose() => _state.Dispose();
}

/// <summary>A server-streaming call in progress.</summary>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly AsyncCallState _state;

    public AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
        : this(responseStream, new AsyncCallState(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction))
    {
    }

    public AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responseStream, AsyncCallState state)
    {
        ResponseStream = responseStream;
        _state = state;
    }

    public IAsyncStreamReader<TResponse> ResponseStream { get; }
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;
    public Status GetStatus() => _state.GetStatus();
    public Metadata GetTrailers() => _state.GetTrailers();
    public void Dispose() => _state.Dispose();
}

/// <summary>A client-streaming call in progress.</summary>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly AsyncCallState _state;

    public AsyncClientStreamingCall(IClientStreamWriter<TRequest> requestStream, Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
        : this(requestStream, responseAsync, new AsyncCallState(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction))
    {
    }

    public AsyncClientStreamingCall(IClientStreamWriter<TRequest> requestStream, Task<TResponse> responseAsync, AsyncCallState state)
    {
        RequestStream = requestStream;
        ResponseAsync = responseAsync;
        _state = state;
    }

    public IClientStreamWriter<TRequest> RequestStream { get; }
    public Task<TResponse> ResponseAsync { get; }
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
    public ConfiguredTaskAwaitable<TResponse> ConfigureAwait(bool continueOnCapturedContext) => ResponseAsync.ConfigureAwait(continueOnCapturedContext);
    public Status GetStatus() => _state.GetStatus();
    public Metadata GetTrailers() => _state.GetTrailers();
    public void Dispose() => _state.Dispose();
}

/// <summary>A bidirectional streaming call in progress.</summary>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly AsyncCallState _state;

    public AsyncDuplexStreamingCall(IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
        : this(requestStream, responseStream, new AsyncCallState(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction))
    {
    }

    public AsyncDuplexStreamingCall(IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream, AsyncCallState state)
    {
        RequestStream = requestStream;
        ResponseStream = responseStream;
        _state = state;
    }

    public IClientStreamWriter<TRequest> RequestStream { get; }
    public IAsyncStreamReader<TResponse> ResponseStream { get; }
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;
    public Status GetStatus() => _state.GetStatus();
    public Metadata GetTrailers() => _state.GetTrailers();
    public void Dispose() => _state.Dispose();
}
