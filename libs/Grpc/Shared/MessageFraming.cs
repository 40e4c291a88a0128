using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.Core;

namespace Platform.Grpc.Shared;

/// <summary>Reads Length-Prefixed-Messages (1 byte compressed flag, 4 bytes big-endian length, payload) from a pipe.</summary>
internal static class MessageFraming
{
    /// <summary>
    /// Reads the next message and deserializes it; returns false at a clean end of stream.
    /// Throws <see cref="RpcException"/> for oversized, compressed, truncated or unparsable messages.
    /// </summary>
    public static async ValueTask<(bool Read, T Message)> ReadMessageAsync<T>(
        PipeReader reader, Func<DeserializationContext, T> deserializer, int? maxSize, string direction, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadPayload(ref buffer, maxSize, direction, out var payload))
            {
                T message;
                try
                {
                    message = Deserialize(deserializer, payload, direction);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start);
                }
                return (true, message);
            }
            if (result.IsCompleted)
            {
                var remaining = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (remaining == 0) return (false, default!);
                throw new RpcException(new Status(StatusCode.Internal, $"Incomplete message: the {direction} stream ended {remaining} bytes into a message."));
            }
            if (result.IsCanceled) throw new OperationCanceledException(cancellationToken);
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Reads to the end of the stream and fails if there is anything after the single expected message.</summary>
    public static async ValueTask ReadToEndAsync(PipeReader reader, string direction, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var length = result.Buffer.Length;
            reader.AdvanceTo(result.Buffer.End);
            if (length > 0)
                throw new RpcException(new Status(StatusCode.Internal, $"Additional data after the {direction} message."));
            if (result.IsCompleted) return;
            if (result.IsCanceled) throw new OperationCanceledException(cancellationToken);
        }
    }

    private static bool TryReadPayload(ref ReadOnlySequence<byte> buffer, int? maxSize, string direction, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < GrpcProtocol.HeaderSize) return false;
        Span<byte> header = stackalloc byte[GrpcProtocol.HeaderSize];
        buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(header);
        var compressed = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)(maxSize ?? int.MaxValue))
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({length} > {maxSize} bytes)."));
        if (compressed != 0)
        {
            throw new RpcException(compressed == 1
                ? new Status(StatusCode.Unimplemented, $"The {direction} message is compressed; only identity encoding is supported.")
                : new Status(StatusCode.Internal, $"Invalid compressed flag {compressed} in the {direction} message prefix."));
        }
        if (buffer.Length - GrpcProtocol.HeaderSize < length) return false;
        payload = buffer.Slice(GrpcProtocol.HeaderSize, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    private static T Deserialize<T>(Func<DeserializationContext, T> deserializer, ReadOnlySequence<byte> payload, string direction)
    {
        try
        {
            return deserializer(new SequenceDeserializationContext(payload));
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Failed to deserialize the {direction} message: {ex.Message}", ex));
        }
    }

    private sealed class SequenceDeserializationContext(ReadOnlySequence<byte> payload) : DeserializationContext
    {
        public override int PayloadLength => (int)payload.Length;

        public override byte[] PayloadAsNewBuffer() => payload.ToArray();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => payload;
    }
}
