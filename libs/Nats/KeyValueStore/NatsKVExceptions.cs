using Platform.Nats.JetStream;

namespace Platform.Nats.KeyValueStore;

public class NatsKVException : NatsJSException
{
    public NatsKVException(string message) : base(message) { }
    public NatsKVException(string message, Exception? inner) : base(message, inner) { }
    public NatsKVException() { }
}

/// <summary>The key has no value (never written, or deleted).</summary>
public sealed class NatsKVKeyNotFoundException : NatsKVException
{
    public NatsKVKeyNotFoundException(string bucket, string key)
        : base($"Key '{key}' has no value in bucket '{bucket}': it was never put or was deleted.")
    {
        Bucket = bucket;
        Key = key;
    }

    public NatsKVKeyNotFoundException() { Bucket = ""; Key = ""; }
    public NatsKVKeyNotFoundException(string message) : base(message) { Bucket = ""; Key = ""; }
    public NatsKVKeyNotFoundException(string message, Exception? inner) : base(message, inner) { Bucket = ""; Key = ""; }

    public string Bucket { get; }
    public string Key { get; }
}
