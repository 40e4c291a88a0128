using System.Diagnostics;
using System.Runtime.CompilerServices;
using Platform.Nats.Internal;

namespace Platform.Nats;

/// <summary>Publish and subscribe.</summary>
public sealed partial class NatsConnection
{
    [ThreadStatic]
    private static PooledBufferWriter? t_payload;

    public ValueTask PublishAsync(string subject, NatsHeaders? headers = default, string? replyTo = default,
        NatsPubOpts? opts = default, CancellationToken cancellationToken = default) =>
        PublishAsync(subject, default(ReadOnlyMemory<byte>), headers, replyTo, NatsRawSerializer<ReadOnlyMemory<byte>>.Default, opts, cancellationToken);

    public ValueTask PublishAsync<T>(string subject, T data, NatsHeaders? headers = default, string? replyTo = default,
        INatsSerialize<T>? serializer = default, NatsPubOpts? opts = default, CancellationToken cancellationToken = default)
    {
        SubjectValidator.ValidatePublish(subject);
        if (replyTo is not null) SubjectValidator.ValidatePublish(replyTo, nameof(replyTo));
        if (_connectTask is null) return ConnectThenPublishAsync(subject, data, headers, replyTo, serializer, opts, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        serializer ??= Opts.SerializerRegistry.GetSerializer<T>();
        using var activity = StartPublishActivity(subject, ref headers);
        if (headers is not null && !Opts.Headers)
            throw new NatsException("This connection has headers turned off (NatsOpts.Headers = false): publish without headers or turn them on.");
        // Raw bytes go straight into the outbound buffer; anything else is serialized into a per-thread scratch first.
        if (ReferenceEquals(serializer, NatsRawSerializer<T>.Default) && NatsRawSerializer<T>.TryGetSpan(data, out var raw))
            return WritePublish(subject, replyTo, headers, raw, opts?.WaitUntilSent ?? false);
        var payload = t_payload ??= new PooledBufferWriter(4096);
        payload.Reset();
        serializer.Serialize(payload, data);
        return WritePublish(subject, replyTo, headers, payload.WrittenSpan, opts?.WaitUntilSent ?? false);
    }

    private async ValueTask ConnectThenPublishAsync<T>(string subject, T data, NatsHeaders? headers, string? replyTo,
        INatsSerialize<T>? serializer, NatsPubOpts? opts, CancellationToken cancellationToken)
    {
        await ConnectAsync().ConfigureAwait(false);
        await PublishAsync(subject, data, headers, replyTo, serializer, opts, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A producer span when anyone listens; the current trace context goes into the headers either way.</summary>
    private Activity? StartPublishActivity(string subject, ref NatsHeaders? headers)
    {
        Activity? activity = null;
        if (NatsTelemetry.Source.HasListeners())
        {
            activity = NatsTelemetry.Source.StartActivity($"{subject} publish", ActivityKind.Producer);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("messaging.system", "nats");
                activity.SetTag("messaging.operation.type", "publish");
                activity.SetTag("messaging.destination.name", subject);
                activity.SetTag("server.address", _endpoint.Host);
                activity.SetTag("server.port", _endpoint.Port);
            }
        }
        if ((activity ?? Activity.Current) is { } context && Opts.Headers)
        {
            headers ??= new NatsHeaders();
            NatsTelemetry.Inject(context, headers);
        }
        return activity;
    }

    public async IAsyncEnumerable<NatsMsg<T>> SubscribeAsync<T>(string subject, string? queueGroup = default,
        INatsDeserialize<T>? serializer = default, NatsSubOpts? opts = default, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var sub = await SubscribeCoreAsync(subject, queueGroup, serializer, opts, cancellationToken).ConfigureAwait(false);
        while (await sub.Msgs.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (sub.Msgs.TryRead(out var msg)) yield return msg;
        }
    }

    public async ValueTask<INatsSub<T>> SubscribeCoreAsync<T>(string subject, string? queueGroup = default,
        INatsDeserialize<T>? serializer = default, NatsSubOpts? opts = default, CancellationToken cancellationToken = default)
    {
        SubjectValidator.ValidateSubscribe(subject);
        SubjectValidator.ValidateQueueGroup(queueGroup);
        if (opts?.MaxMsgs is <= 0) throw new ArgumentOutOfRangeException(nameof(opts), "NatsSubOpts.MaxMsgs must be positive.");
        if (_connectTask is null) await ConnectAsync().ConfigureAwait(false);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var sub = new NatsSub<T>(this, Interlocked.Increment(ref _nextSid), subject, queueGroup,
            serializer ?? Opts.SerializerRegistry.GetDeserializer<T>(), opts, Opts.SubPendingChannelCapacity);
        await AddSubscriptionAsync(sub, cancellationToken).ConfigureAwait(false);
        return sub;
    }

    /// <summary>Registers the subscription and waits until its SUB has reached the socket (when connected).</summary>
    private async Task AddSubscriptionAsync(NatsSubBase sub, CancellationToken cancellationToken)
    {
        _subs[sub.Sid] = sub;
        await WriteSubscribe(sub).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal ValueTask RemoveSubscriptionAsync(NatsSubBase sub, bool sendUnsub)
    {
        if (_subs.TryRemove(sub.Sid, out _) && sendUnsub) WriteUnsubscribe(sub.Sid);
        return ValueTask.CompletedTask;
    }

    public string NewInbox() => $"{Opts.InboxPrefix}.{Nuid.Next()}";
}
