namespace Platform.Nats.KeyValueStore;

public enum NatsKVStorageType
{
    File,
    Memory,
}

/// <summary>A bucket's settings (shape of NATS.Net's <c>NatsKVConfig</c>).</summary>
public sealed record NatsKVConfig(string Bucket)
{
    public string? Description { get; init; }

    /// <summary>Values kept per key (1 to 64).</summary>
    public int History { get; init; } = 1;

    /// <summary>How long a value lives; zero keeps it forever.</summary>
    public TimeSpan MaxAge { get; init; }

    public long MaxBytes { get; init; } = -1;

    public int MaxValueSize { get; init; } = -1;

    public NatsKVStorageType Storage { get; init; } = NatsKVStorageType.File;
}
