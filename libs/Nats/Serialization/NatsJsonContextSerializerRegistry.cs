using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace Platform.Nats;

/// <summary>Raw bytes and strings as <see cref="NatsDefaultSerializerRegistry"/>, everything else as JSON through the given contexts.</summary>
public sealed class NatsJsonContextSerializerRegistry(params JsonSerializerContext[] contexts) : INatsSerializerRegistry
{
    private readonly ConcurrentDictionary<Type, object> _cache = new();

    public INatsSerialize<T> GetSerializer<T>() => Get<T>();

    public INatsDeserialize<T> GetDeserializer<T>() => Get<T>();

    private INatsSerializer<T> Get<T>() => NatsRawSerializer<T>.Supports
        ? NatsRawSerializer<T>.Default
        : (INatsSerializer<T>)_cache.GetOrAdd(typeof(T), _ => new NatsJsonContextSerializer<T>(contexts));
}
