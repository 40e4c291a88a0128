namespace Platform.Nats.KeyValueStore;

public enum NatsKVOperation
{
    Put,
    Del,
    Purge,
}

/// <summary>A value with its place in the bucket's history (shape of NATS.Net's <c>NatsKVEntry&lt;T&gt;</c>).</summary>
public readonly record struct NatsKVEntry<T>(string Bucket, string Key)
{
    public T? Value { get; init; }

    /// <summary>The stream sequence of this value; grows with every write to the bucket.</summary>
    public ulong Revision { get; init; }

    /// <summary>For watch entries: how many more are pending behind this one (0 when caught up).</summary>
    public ulong Delta { get; init; }

    public DateTimeOffset Created { get; init; }

    public NatsKVOperation Operation { get; init; }
}
