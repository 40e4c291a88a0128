using System.Buffers;
using Grpc.Core;
using Platform.Grpc.Shared;

namespace Grpc.Net.Client.Internal;

/// <summary>What a call's streams need to know about the call's end.</summary>
internal interface ICallLifetime
{
    /// <summary>Non-null once the call has ended: the status to surface from a write.</summary>
    RpcException? Failure { get; }

    /// <summary>Ends the call because of <paramref name="exception"/> and returns what to throw.</summary>
    RpcException FinishWith(Exception exception);

    Task<bool> MoveNextAsync(CancellationToken cancellationToken);
}

/// <summary>The request stream of a client-streaming or duplex call: one message per write, flushed at once.</summary>
internal sealed class ClientStreamWriter<TRequest>(
    ICallLifetime call, StreamingRequestContent content, Marshaller<TRequest> marshaller, int? maxSize, CancellationToken callToken)
    : IClientStreamWriter<TRequest>
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private int _writing;
    private bool _completed;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(TRequest message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (call.Failure is { } failure) throw failure;
        if (_completed) throw new InvalidOperationException("Can't write the message because the request stream is complete.");
        if (Interlocked.Exchange(ref _writing, 1) == 1) throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
        try
        {
            _buffer.ResetWrittenCount();
            FramingSerializationContext.Write(_buffer, marshaller, message, maxSize, "request");
            using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callToken) : null;
            var token = linked?.Token ?? callToken;
            var stream = await content.GetStreamAsync().WaitAsync(token).ConfigureAwait(false);
            await stream.WriteAsync(_buffer.WrittenMemory, token).ConfigureAwait(false);
            if (((WriteOptions?.Flags ?? default) & WriteFlags.BufferHint) == 0) await stream.FlushAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException || call.Failure is null)
        {
            throw call.Failure ?? call.FinishWith(ex);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    public Task CompleteAsync()
    {
        _completed = true;
        content.Complete();
        return Task.CompletedTask;
    }
}

/// <summary>The response stream of a server-streaming or duplex call.</summary>
internal sealed class ClientStreamReader<TResponse>(ICallLifetime call, Func<TResponse> current) : IAsyncStreamReader<TResponse>
{
    public TResponse Current => current();

    public Task<bool> MoveNext(CancellationToken cancellationToken) => call.MoveNextAsync(cancellationToken);
}
