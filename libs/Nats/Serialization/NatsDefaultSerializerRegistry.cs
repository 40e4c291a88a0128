namespace Platform.Nats;

/// <summary>Raw bytes and UTF-8 strings; any other type needs <see cref="NatsJsonContextSerializerRegistry"/>.</summary>
public sealed class NatsDefaultSerializerRegistry : INatsSerializerRegistry
{
    public static readonly NatsDefaultSerializerRegistry Default = new();

    public INatsSerialize<T> GetSerializer<T>() => Get<T>();

    public INatsDeserialize<T> GetDeserializer<T>() => Get<T>();

    private static NatsRawSerializer<T> Get<T>() => NatsRawSerializer<T>.Supports
        ? NatsRawSerializer<T>.Default
        : throw new NatsException($"No NATS serializer for {typeof(T).FullName}: set NatsOpts.SerializerRegistry to a NatsJsonContextSerializerRegistry with a JsonSerializerContext that lists it, or pass a serializer.");
}
