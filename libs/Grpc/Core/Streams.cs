namespace Grpc.Core;

/// <summary>Reads a stream of messages.</summary>
public interface IAsyncStreamReader<out T>
{
    T Current { get; }

    Task<bool> MoveNext(CancellationToken cancellationToken);
}

/// <summary>Writes a stream of messages.</summary>
public interface IAsyncStreamWriter<in T>
{
    WriteOptions? WriteOptions { get; set; }

    Task WriteAsync(T message);

    Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
            throw new NotSupportedException("This writer does not support a cancellation token.");
        return WriteAsync(message);
    }
}

/// <summary>The server's response stream.</summary>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>;

/// <summary>The client's request stream; <see cref="CompleteAsync"/> half-closes it.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    Task CompleteAsync();
}

[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Same name as Grpc.Core.Api.")]
public enum WriteFlags
{
    BufferHint = 0x1,
    NoCompress = 0x2,
}

/// <summary>Options for one write.</summary>
public class WriteOptions
{
    public static readonly WriteOptions Default = new();

    public WriteOptions(WriteFlags flags = default) => Flags = flags;

    public WriteFlags Flags { get; }
}

/// <summary>Extensions on stream readers (as Grpc.Net.Common has them).</summary>
public static class AsyncStreamReaderExtensions
{
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(this IAsyncStreamReader<T> streamReader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamReader);
        while (await streamReader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return streamReader.Current;
        }
    }
}

/// <summary>Extensions on stream writers.</summary>
public static class AsyncStreamWriterExtensions
{
    public static async Task WriteAllAsync<T>(this IClientStreamWriter<T> streamWriter, IEnumerable<T> messages, bool complete = true)
    {
        ArgumentNullException.ThrowIfNull(streamWriter);
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            await streamWriter.WriteAsync(message).ConfigureAwait(false);
        }
        if (complete) await streamWriter.CompleteAsync().ConfigureAwait(false);
    }
}
