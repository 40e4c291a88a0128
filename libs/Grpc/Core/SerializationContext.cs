using System.Buffers;

namespace Grpc.Core;

/// <summary>Where a marshaller writes one serialized message.</summary>
public abstract class SerializationContext
{
    /// <summary>Completes with the whole payload in one array.</summary>
    public virtual void Complete(byte[] payload) => throw new NotImplementedException();

    /// <summary>A buffer writer to serialize into; call <see cref="SetPayloadLength"/> first when the size is known.</summary>
    public virtual IBufferWriter<byte> GetBufferWriter() => throw new NotImplementedException();

    public virtual void SetPayloadLength(int payloadLength)
    {
    }

    /// <summary>Completes a payload written through <see cref="GetBufferWriter"/>.</summary>
    public virtual void Complete() => throw new NotImplementedException();
}

/// <summary>Where a marshaller reads one received message from.</summary>
public abstract class DeserializationContext
{
    public abstract int PayloadLength { get; }

    public virtual byte[] PayloadAsNewBuffer() => throw new NotImplementedException();

    public virtual ReadOnlySequence<byte> PayloadAsReadOnlySequence() => throw new NotImplementedException();
}
