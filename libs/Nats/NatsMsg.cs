namespace Platform.Nats;

/// <summary>A received message (shape of NATS.Net's <c>NatsMsg&lt;T&gt;</c>).</summary>
public readonly record struct NatsMsg<T>(
    string Subject,
    string? ReplyTo,
    int Size,
    NatsHeaders? Headers,
    T? Data,
    INatsConnection? Connection)
{
    /// <summary>True when this is a "no responders" status (503) rather than a real reply.</summary>
    public bool HasNoResponders => Headers?.Code == 503;

    /// <summary>Publishes a reply to <see cref="ReplyTo"/>.</summary>
    public ValueTask ReplyAsync<TReply>(TReply data, NatsHeaders? headers = default, string? replyTo = default,
        INatsSerialize<TReply>? serializer = default, NatsPubOpts? opts = default, CancellationToken cancellationToken = default)
    {
        if (Connection is null) throw new NatsException("This message has no connection to reply on.");
        if (string.IsNullOrEmpty(ReplyTo)) throw new NatsException($"The message on '{Subject}' has no reply subject: the sender did not make a request.");
        return Connection.PublishAsync(ReplyTo, data, headers, replyTo, serializer, opts, cancellationToken);
    }

    /// <summary>Throws when this message is a no-responders status instead of data.</summary>
    public void EnsureSuccess()
    {
        if (HasNoResponders) throw new NatsNoRespondersException(Subject);
    }
}
