using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Platform.Nats.JetStream.Internal;

/// <summary>JSON for the API's own documents, independent of the connection's serializer registry.</summary>
internal sealed class JsonTypeInfoSerializer<T>(JsonTypeInfo<T> typeInfo) : INatsSerializer<T>
{
    public void Serialize(IBufferWriter<byte> bufferWriter, T value)
    {
        if (value is null) return;
        using var writer = new Utf8JsonWriter(bufferWriter);
        JsonSerializer.Serialize(writer, value, typeInfo);
    }

    public T? Deserialize(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty) return default;
        var reader = new Utf8JsonReader(buffer);
        return JsonSerializer.Deserialize(ref reader, typeInfo);
    }
}
