using System.Diagnostics;
using System.Threading.Channels;

namespace Platform.Nats.Internal;

/// <summary>A typed subscription: deserializes on the read loop and queues into a bounded channel, dropping when full.</summary>
internal sealed class NatsSub<T> : NatsSubBase, INatsSub<T>
{
    private readonly NatsConnection _connection;
    private readonly INatsDeserialize<T> _deserializer;
    private readonly Channel<NatsMsg<T>> _channel;
    private readonly Timer? _timeout;
    private readonly Timer? _idle;
    private readonly TimeSpan _idleTimeout;
    private long _dropped;
    private int _ended;

    public NatsSub(NatsConnection connection, long sid, string subject, string? queueGroup, INatsDeserialize<T> deserializer, NatsSubOpts? opts, int capacity)
        : base(sid, subject, queueGroup, opts?.MaxMsgs)
    {
        _connection = connection;
        _deserializer = deserializer;
        _channel = Channel.CreateBounded<NatsMsg<T>>(new BoundedChannelOptions(opts?.ChannelCapacity ?? capacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite this means "refuse when full": we drop and count
        });
        if (opts?.Timeout is { } total) _timeout = new Timer(static s => ((NatsSub<T>)s!).EndFromTimer(), this, total, Timeout.InfiniteTimeSpan);
        if (opts?.IdleTimeout is { } idle)
        {
            _idleTimeout = idle;
            _idle = new Timer(static s => ((NatsSub<T>)s!).EndFromTimer(), this, idle, Timeout.InfiniteTimeSpan);
        }
    }

    public ChannelReader<NatsMsg<T>> Msgs => _channel.Reader;

    public long Dropped => Interlocked.Read(ref _dropped);

    public override void Deliver(ref ServerOp op)
    {
        if (Volatile.Read(ref _ended) != 0) return;
        var subject = SubjectString(op.Subject);
        var headers = ParseHeaders(ref op);
        using (StartReceiveActivity(subject, headers, op.Size))
        {
            var data = _deserializer.Deserialize(op.Payload);
            var msg = new NatsMsg<T>(subject, ReplyString(op.ReplyTo), op.Size, headers, data, _connection);
            if (!_channel.Writer.TryWrite(msg))
            {
                var dropped = Interlocked.Increment(ref _dropped);
                (data as IDisposable)?.Dispose();
                _connection.OnMessageDropped(this, subject, _channel.Reader.Count, dropped);
            }
        }
        _idle?.Change(_idleTimeout, Timeout.InfiniteTimeSpan);
        if (CountDelivery()) _ = EndAsync(sendUnsub: false);
    }

    private static Activity? StartReceiveActivity(string subject, NatsHeaders? headers, int size)
    {
        if (!NatsTelemetry.Source.HasListeners()) return null;
        var activity = NatsTelemetry.Source.StartActivity($"{subject} receive", ActivityKind.Consumer, NatsTelemetry.ExtractContext(headers));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "nats");
            activity.SetTag("messaging.operation.type", "receive");
            activity.SetTag("messaging.destination.name", subject);
            activity.SetTag("messaging.message.body.size", size);
        }
        return activity;
    }

    public override void Complete(Exception? error)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) return;
        _timeout?.Dispose();
        _idle?.Dispose();
        _channel.Writer.TryComplete(error);
    }

    private void EndFromTimer() => _ = EndAsync(sendUnsub: true);

    private async Task EndAsync(bool sendUnsub)
    {
        if (Volatile.Read(ref _ended) != 0) return;
        await _connection.RemoveSubscriptionAsync(this, sendUnsub).ConfigureAwait(false);
        Complete(null);
    }

    public ValueTask UnsubscribeAsync() => new(EndAsync(sendUnsub: true));

    public ValueTask DisposeAsync() => UnsubscribeAsync();
}
