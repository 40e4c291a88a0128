using Grpc.Core;
using Platform.Grpc.Shared;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>The request stream of a client-streaming or duplex call.</summary>
internal sealed class HttpContextStreamReader<T>(HttpContextServerCallContext call, Func<DeserializationContext, T> deserializer, int? maxSize)
    : IAsyncStreamReader<T>
{
    private bool _ended;

    public T Current { get; private set; } = default!;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (_ended) return false;
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken)
            : null;
        var (read, message) = await MessageFraming.ReadMessageAsync(
            call.HttpContext.Request.BodyReader, deserializer, maxSize, "request", linked?.Token ?? call.CancellationToken).ConfigureAwait(false);
        if (!read)
        {
            _ended = true;
            return false;
        }
        Current = message;
        return true;
    }
}

/// <summary>The response stream of a server-streaming or duplex call: one message per write, flushed unless BufferHint.</summary>
internal sealed class HttpContextStreamWriter<T>(HttpContextServerCallContext call, Marshaller<T> marshaller, int? maxSize)
    : IServerStreamWriter<T>
{
    private int _writing;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (call.IsCompleted) throw new InvalidOperationException("Can't write the message because the call is complete.");
        call.CancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _writing, 1) == 1) throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
        try
        {
            var writer = call.HttpContext.Response.BodyWriter;
            FramingSerializationContext.Write(writer, marshaller, message, maxSize, "response");
            call.BodyWritten = true;
            var flags = (WriteOptions ?? call.WriteOptions)?.Flags ?? default;
            if ((flags & WriteFlags.BufferHint) != 0) return;
            using var linked = cancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken)
                : null;
            await writer.FlushAsync(linked?.Token ?? call.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }
}
