namespace Platform.Nats;

/// <summary>Per-subscription options (shape of NATS.Net's <c>NatsSubOpts</c>).</summary>
public sealed record NatsSubOpts
{
    /// <summary>Unsubscribe automatically after this many messages (server side too, via <c>UNSUB sid max</c>).</summary>
    public int? MaxMsgs { get; init; }

    /// <summary>End the subscription after this long in total.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>End the subscription when no message arrives for this long.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Overrides <see cref="NatsOpts.SubPendingChannelCapacity"/> for this subscription.</summary>
    public int? ChannelCapacity { get; init; }
}
