using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Platform.Nats;

/// <summary>JSON through a System.Text.Json source-generated context (no reflection).</summary>
public sealed class NatsJsonContextSerializer<T> : INatsSerializer<T>
{
    private readonly JsonTypeInfo<T> _typeInfo;

    public NatsJsonContextSerializer(params JsonSerializerContext[] contexts)
    {
        foreach (var context in contexts)
        {
            if (context.GetTypeInfo(typeof(T)) is JsonTypeInfo<T> info)
            {
                _typeInfo = info;
                return;
            }
        }
        throw new NatsException($"None of the JSON contexts [{string.Join(", ", contexts.Select(c => c.GetType().Name))}] lists {typeof(T).FullName}: add [JsonSerializable(typeof({typeof(T).Name}))] to one.");
    }

    public void Serialize(IBufferWriter<byte> bufferWriter, T value)
    {
        if (value is null) return;
        using var writer = new Utf8JsonWriter(bufferWriter);
        JsonSerializer.Serialize(writer, value, _typeInfo);
    }

    public T? Deserialize(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty) return default;
        var reader = new Utf8JsonReader(buffer);
        return JsonSerializer.Deserialize(ref reader, _typeInfo);
    }
}
