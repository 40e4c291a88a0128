using System.Text;

namespace Platform.Nats.Internal;

/// <summary>What the read loop knows about a subscription: its sid, what to re-send on reconnect, where messages go.</summary>
internal abstract class NatsSubBase(long sid, string subject, string? queueGroup, int? maxMsgs)
{
    private byte[] _lastSubjectBytes = [];
    private string _lastSubject = "";
    private int _delivered;

    public long Sid { get; } = sid;
    public string Subject { get; } = subject;
    public string? QueueGroup { get; } = queueGroup;
    public int? MaxMsgs { get; } = maxMsgs;

    /// <summary>Messages still allowed before auto-unsubscribe (re-sent as <c>UNSUB sid n</c> after a reconnect).</summary>
    public int? Remaining => MaxMsgs is { } max ? Math.Max(0, max - Volatile.Read(ref _delivered)) : null;

    /// <summary>Called on the read loop; must not block.</summary>
    public abstract void Deliver(ref ServerOp op);

    /// <summary>The connection has closed for good, or the subscription ended.</summary>
    public abstract void Complete(Exception? error);

    /// <summary>Counts a delivery; true when this was the last one allowed by MaxMsgs.</summary>
    protected bool CountDelivery() => MaxMsgs is { } max && Interlocked.Increment(ref _delivered) >= max;

    /// <summary>Reuses the subject string while consecutive messages come on the same subject (the common case).</summary>
    protected string SubjectString(ReadOnlySpan<byte> subject)
    {
        if (subject.SequenceEqual(_lastSubjectBytes)) return _lastSubject;
        _lastSubject = Encoding.UTF8.GetString(subject);
        _lastSubjectBytes = subject.ToArray();
        return _lastSubject;
    }

    protected static string? ReplyString(ReadOnlySpan<byte> replyTo) => replyTo.IsEmpty ? null : Encoding.UTF8.GetString(replyTo);

    protected static NatsHeaders? ParseHeaders(ref ServerOp op) => op.HasHeaders ? HeaderCodec.Parse(op.Headers) : null;
}
