namespace Platform.Nats;

/// <summary>Handler for the connection's events (same shape as NATS.Net's).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Name kept from NATS.Net v2 so a swap is a small change.")]
public delegate ValueTask AsyncEventHandler<in TEventArgs>(object? sender, TEventArgs args);

public class NatsEventArgs(string message) : EventArgs
{
    public string Message { get; } = message;
}

/// <summary>A subscription's channel was full and a message was not queued.</summary>
public sealed class NatsMessageDroppedEventArgs(string subscription, string subject, int pending, long droppedTotal)
    : NatsEventArgs($"Dropped a message on '{subject}': subscription '{subscription}' has {pending} messages waiting")
{
    public string Subscription { get; } = subscription;
    public string Subject { get; } = subject;
    public int Pending { get; } = pending;
    public long DroppedTotal { get; } = droppedTotal;
}

/// <summary>A NATS connection (shape of NATS.Net v2's <c>INatsConnection</c>).</summary>
public interface INatsConnection : IAsyncDisposable
{
    NatsOpts Opts { get; }
    NatsConnectionState ConnectionState { get; }
    NatsServerInfo? ServerInfo { get; }

    event AsyncEventHandler<NatsEventArgs>? ConnectionOpened;
    event AsyncEventHandler<NatsEventArgs>? ConnectionDisconnected;
    event AsyncEventHandler<NatsEventArgs>? ReconnectFailed;
    event AsyncEventHandler<NatsMessageDroppedEventArgs>? MessageDropped;

    ValueTask ConnectAsync();

    /// <summary>Round trip to the server; also proves every earlier command has been processed.</summary>
    ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default);

    ValueTask PublishAsync<T>(string subject, T data, NatsHeaders? headers = default, string? replyTo = default,
        INatsSerialize<T>? serializer = default, NatsPubOpts? opts = default, CancellationToken cancellationToken = default);

    ValueTask PublishAsync(string subject, NatsHeaders? headers = default, string? replyTo = default,
        NatsPubOpts? opts = default, CancellationToken cancellationToken = default);

    IAsyncEnumerable<NatsMsg<T>> SubscribeAsync<T>(string subject, string? queueGroup = default,
        INatsDeserialize<T>? serializer = default, NatsSubOpts? opts = default, CancellationToken cancellationToken = default);

    ValueTask<INatsSub<T>> SubscribeCoreAsync<T>(string subject, string? queueGroup = default,
        INatsDeserialize<T>? serializer = default, NatsSubOpts? opts = default, CancellationToken cancellationToken = default);

    /// <summary>Publishes with a reply subject and waits for the first reply; throws <see cref="NatsNoRespondersException"/> or <see cref="NatsNoReplyException"/>.</summary>
    ValueTask<NatsMsg<TReply>> RequestAsync<TRequest, TReply>(string subject, TRequest? data, NatsHeaders? headers = default,
        INatsSerialize<TRequest>? requestSerializer = default, INatsDeserialize<TReply>? replySerializer = default,
        NatsPubOpts? requestOpts = default, NatsSubOpts? replyOpts = default, CancellationToken cancellationToken = default);

    ValueTask<NatsMsg<TReply>> RequestAsync<TReply>(string subject, INatsDeserialize<TReply>? replySerializer = default,
        NatsSubOpts? replyOpts = default, CancellationToken cancellationToken = default);

    string NewInbox();
}
