using System.Buffers;

namespace Platform.Nats;

/// <summary>Writes a value as a message payload.</summary>
public interface INatsSerialize<in T>
{
    void Serialize(IBufferWriter<byte> bufferWriter, T value);
}

/// <summary>Reads a message payload (the sequence is only valid during the call).</summary>
public interface INatsDeserialize<out T>
{
    T? Deserialize(in ReadOnlySequence<byte> buffer);
}

public interface INatsSerializer<T> : INatsSerialize<T>, INatsDeserialize<T>;

/// <summary>Finds the serializer for a payload type.</summary>
public interface INatsSerializerRegistry
{
    INatsSerialize<T> GetSerializer<T>();
    INatsDeserialize<T> GetDeserializer<T>();
}
