using System.Buffers;

namespace Grpc.Core;

/// <summary>Collects a serialized message into an array (for <see cref="Marshaller{T}.Serializer"/>).</summary>
internal sealed class ArraySerializationContext : SerializationContext
{
    private ArrayBufferWriter<byte>? _writer;
    private byte[]? _result;

    public byte[] Result => _result ?? throw new InvalidOperationException("The serializer did not complete the payload.");

    public override void Complete(byte[] payload) => _result = payload;

    public override IBufferWriter<byte> GetBufferWriter() => _writer ??= new ArrayBufferWriter<byte>();

    public override void Complete() => _result = _writer?.WrittenSpan.ToArray() ?? [];
}

/// <summary>A received message held in one array.</summary>
internal sealed class ArrayDeserializationContext(byte[] payload) : DeserializationContext
{
    public override int PayloadLength => payload.Length;

    public override byte[] PayloadAsNewBuffer() => payload.ToArray();

    public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
}
