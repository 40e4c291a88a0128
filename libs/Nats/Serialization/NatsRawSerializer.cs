using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Platform.Nats;

/// <summary>
/// Raw bytes (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, <c>Memory&lt;byte&gt;</c>, <c>ReadOnlySequence&lt;byte&gt;</c>,
/// <c>IMemoryOwner&lt;byte&gt;</c>) and UTF-8 strings. Received <c>IMemoryOwner&lt;byte&gt;</c> payloads come from the shared
/// pool: dispose them.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Default instance per type, as NATS.Net's serializers have.")]
public sealed class NatsRawSerializer<T> : INatsSerializer<T>
{
    public static readonly NatsRawSerializer<T> Default = new();

    /// <summary>Whether this serializer handles <typeparamref name="T"/>.</summary>
    public static bool Supports { get; } =
        typeof(T) == typeof(byte[]) || typeof(T) == typeof(ReadOnlyMemory<byte>) || typeof(T) == typeof(Memory<byte>) ||
        typeof(T) == typeof(ReadOnlySequence<byte>) || typeof(T) == typeof(IMemoryOwner<byte>) || typeof(T) == typeof(string);

    public void Serialize(IBufferWriter<byte> bufferWriter, T value)
    {
        if (TryGetSpan(value, out var span))
        {
            bufferWriter.Write(span);
            return;
        }
        switch (value)
        {
            case null: return;
            case ReadOnlySequence<byte> seq:
                foreach (var segment in seq) bufferWriter.Write(segment.Span);
                return;
            case string s: Encoding.UTF8.GetBytes(s, bufferWriter); return;
            default: throw new NatsException($"NatsRawSerializer cannot write {typeof(T).Name}: use byte[], ReadOnlyMemory<byte>, string, or register a JSON context.");
        }
    }

    /// <summary>Contiguous byte payloads, without boxing (the type tests fold away per T).</summary>
    internal static bool TryGetSpan(T value, out ReadOnlySpan<byte> span)
    {
        if (typeof(T) == typeof(ReadOnlyMemory<byte>))
        {
            span = Unsafe.As<T, ReadOnlyMemory<byte>>(ref value).Span;
            return true;
        }
        if (typeof(T) == typeof(Memory<byte>))
        {
            span = Unsafe.As<T, Memory<byte>>(ref value).Span;
            return true;
        }
        switch (value)
        {
            case byte[] bytes:
                span = bytes;
                return true;
            case IMemoryOwner<byte> owner:
                span = owner.Memory.Span;
                return true;
            default:
                span = default;
                return false;
        }
    }

    public T? Deserialize(in ReadOnlySequence<byte> buffer)
    {
        if (typeof(T) == typeof(byte[])) return (T)(object)buffer.ToArray();
        if (typeof(T) == typeof(ReadOnlyMemory<byte>)) return (T)(object)new ReadOnlyMemory<byte>(buffer.ToArray());
        if (typeof(T) == typeof(Memory<byte>)) return (T)(object)new Memory<byte>(buffer.ToArray());
        if (typeof(T) == typeof(ReadOnlySequence<byte>)) return (T)(object)new ReadOnlySequence<byte>(buffer.ToArray());
        if (typeof(T) == typeof(string)) return buffer.Length == 0 ? (T)(object)"" : (T)(object)Encoding.UTF8.GetString(buffer);
        if (typeof(T) == typeof(IMemoryOwner<byte>))
        {
            var owner = new PooledMemoryOwner((int)buffer.Length);
            buffer.CopyTo(owner.Memory.Span);
            return (T)(object)owner;
        }
        throw new NatsException($"NatsRawSerializer cannot read {typeof(T).Name}: use byte[], ReadOnlyMemory<byte>, string, or register a JSON context.");
    }

    private sealed class PooledMemoryOwner(int length) : IMemoryOwner<byte>
    {
        private byte[]? _array = ArrayPool<byte>.Shared.Rent(length);

        public Memory<byte> Memory => _array is { } a ? a.AsMemory(0, length) : throw new ObjectDisposedException(nameof(IMemoryOwner<byte>));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } a) ArrayPool<byte>.Shared.Return(a);
        }
    }
}
