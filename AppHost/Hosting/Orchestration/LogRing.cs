using System.Threading.Channels;

namespace Aspire.Hosting.Orchestration;

/// <summary>One console line of a resource; <see cref="Sequence"/> grows by one per line for the life of the AppHost.</summary>
public sealed record LogLine(long Sequence, DateTimeOffset Time, bool IsError, string Text);

/// <summary>The last N console lines of a resource instance, with live subscribers (the dashboard's log stream).</summary>
internal sealed class LogRing(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<LogLine> _lines = new(capacity);
    private readonly List<Channel<LogLine>> _subscribers = [];
    private long _sequence;

    public void Add(bool isError, string text)
    {
        lock (_gate)
        {
            var line = new LogLine(++_sequence, DateTimeOffset.UtcNow, isError, text);
            if (_lines.Count == capacity) _lines.Dequeue();
            _lines.Enqueue(line);
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(line);
        }
    }

    public IReadOnlyList<LogLine> Snapshot(long after = 0)
    {
        lock (_gate) return _lines.Where(l => l.Sequence > after).ToList();
    }

    /// <summary>The lines so far and, without a gap, every line after them until <paramref name="cancellationToken"/> ends.</summary>
    public async IAsyncEnumerable<LogLine> FollowAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A slow reader loses its oldest unread lines rather than holding the resource's output back.
        var channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest });
        List<LogLine> backlog;
        lock (_gate)
        {
            backlog = [.. _lines];
            _subscribers.Add(channel);
        }
        try
        {
            foreach (var line in backlog) yield return line;
            await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken)) yield return line;
        }
        finally
        {
            lock (_gate) _subscribers.Remove(channel);
        }
    }
}
