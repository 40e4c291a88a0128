namespace Grpc.Core;

/// <summary>Turns messages of type <typeparamref name="T"/> into bytes and back.</summary>
public class Marshaller<T>
{
    public Marshaller(Func<T, byte[]> serializer, Func<byte[], T> deserializer)
    {
        Serializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        Deserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        ContextualSerializer = (message, context) => context.Complete(serializer(message));
        ContextualDeserializer = context => deserializer(context.PayloadAsNewBuffer());
    }

    public Marshaller(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer)
    {
        ContextualSerializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        ContextualDeserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        Serializer = message =>
        {
            var context = new ArraySerializationContext();
            serializer(message, context);
            return context.Result;
        };
        Deserializer = payload => deserializer(new ArrayDeserializationContext(payload));
    }

    public Func<T, byte[]> Serializer { get; }
    public Func<byte[], T> Deserializer { get; }
    public Action<T, SerializationContext> ContextualSerializer { get; }
    public Func<DeserializationContext, T> ContextualDeserializer { get; }
}

/// <summary>Factory methods for <see cref="Marshaller{T}"/>.</summary>
public static class Marshallers
{
    public static Marshaller<T> Create<T>(Func<T, byte[]> serializer, Func<byte[], T> deserializer) => new(serializer, deserializer);

    public static Marshaller<T> Create<T>(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer) => new(serializer, deserializer);

    public static Marshaller<string> StringMarshaller { get; } = new(System.Text.Encoding.UTF8.GetBytes, System.Text.Encoding.UTF8.GetString);
}
