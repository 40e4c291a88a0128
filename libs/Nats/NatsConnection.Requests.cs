using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using Platform.Nats.Internal;

namespace Platform.Nats;

/// <summary>Request/reply over one shared inbox subscription (<c>_INBOX.&lt;nuid&gt;.*</c>), as nats.go does it.</summary>
public sealed partial class NatsConnection
{
    private readonly string _inboxPrefix;
    private readonly ConcurrentDictionary<long, ReplyWaiter> _requests = new();
    private readonly SemaphoreSlim _inboxGate = new(1, 1);
    private volatile bool _inboxReady;
    private long _nextRequestId;

    public ValueTask<NatsMsg<TReply>> RequestAsync<TReply>(string subject, INatsDeserialize<TReply>? replySerializer = default,
        NatsSubOpts? replyOpts = default, CancellationToken cancellationToken = default) =>
        RequestAsync<ReadOnlyMemory<byte>, TReply>(subject, default, null, NatsRawSerializer<ReadOnlyMemory<byte>>.Default, replySerializer, null, replyOpts, cancellationToken);

    public async ValueTask<NatsMsg<TReply>> RequestAsync<TRequest, TReply>(string subject, TRequest? data, NatsHeaders? headers = default,
        INatsSerialize<TRequest>? requestSerializer = default, INatsDeserialize<TReply>? replySerializer = default,
        NatsPubOpts? requestOpts = default, NatsSubOpts? replyOpts = default, CancellationToken cancellationToken = default)
    {
        SubjectValidator.ValidatePublish(subject);
        if (!_inboxReady) await EnsureInboxAsync(cancellationToken).ConfigureAwait(false);
        var id = Interlocked.Increment(ref _nextRequestId);
        var waiter = new ReplyWaiter<TReply>(this, subject, replySerializer ?? Opts.SerializerRegistry.GetDeserializer<TReply>());
        _requests[id] = waiter;
        try
        {
            await PublishAsync(subject, data!, headers, $"{_inboxPrefix}.{id}", requestSerializer, requestOpts, cancellationToken).ConfigureAwait(false);
            var timeout = replyOpts?.Timeout ?? Opts.RequestTimeout;
            try
            {
                return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new NatsNoReplyException(subject, timeout);
            }
        }
        finally
        {
            _requests.TryRemove(id, out _);
        }
    }

    private async Task EnsureInboxAsync(CancellationToken cancellationToken)
    {
        await _inboxGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_inboxReady) return;
            if (_connectTask is null) await ConnectAsync().ConfigureAwait(false);
            await AddSubscriptionAsync(new InboxSub(this, Interlocked.Increment(ref _nextSid), _inboxPrefix + ".*"), cancellationToken).ConfigureAwait(false);
            _inboxReady = true;
        }
        finally
        {
            _inboxGate.Release();
        }
    }

    private void FailPendingRequests(Exception error)
    {
        foreach (var waiter in _requests.Values) waiter.Fail(error);
    }

    /// <summary>Routes replies by the numeric last token of the inbox subject.</summary>
    private sealed class InboxSub(NatsConnection connection, long sid, string subject) : NatsSubBase(sid, subject, null, null)
    {
        public override void Deliver(ref ServerOp op)
        {
            var dot = op.Subject.LastIndexOf((byte)'.');
            if (dot < 0 || !Utf8Parser.TryParse(op.Subject[(dot + 1)..], out long id, out var used) || used != op.Subject.Length - dot - 1) return;
            if (connection._requests.TryRemove(id, out var waiter)) waiter.Complete(ref op);
        }

        public override void Complete(Exception? error) => connection._inboxReady = false;
    }

    private abstract class ReplyWaiter
    {
        public abstract void Complete(ref ServerOp op);
        public abstract void Fail(Exception error);
    }

    private sealed class ReplyWaiter<T>(NatsConnection connection, string subject, INatsDeserialize<T> deserializer) : ReplyWaiter
    {
        private readonly TaskCompletionSource<NatsMsg<T>> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<NatsMsg<T>> Task => _tcs.Task;

        public override void Complete(ref ServerOp op)
        {
            try
            {
                var headers = op.HasHeaders ? HeaderCodec.Parse(op.Headers) : null;
                if (headers?.Code == 503 && op.Payload.IsEmpty)
                {
                    _tcs.TrySetException(new NatsNoRespondersException(subject));
                    return;
                }
                var reply = System.Text.Encoding.UTF8.GetString(op.Subject);
                var replyTo = op.ReplyTo.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(op.ReplyTo);
                _tcs.TrySetResult(new NatsMsg<T>(reply, replyTo, op.Size, headers, deserializer.Deserialize(op.Payload), connection));
            }
            catch (Exception ex)
            {
                _tcs.TrySetException(ex);
            }
        }

        public override void Fail(Exception error) => _tcs.TrySetException(error);
    }
}
