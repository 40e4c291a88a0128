namespace Platform.Nats.KeyValueStore;

public sealed record NatsKVWatchOpts
{
    /// <summary>Skip the current values and only report changes made from now on.</summary>
    public bool UpdatesOnly { get; init; }

    /// <summary>Do not report deletes and purges.</summary>
    public bool IgnoreDeletes { get; init; }
}
