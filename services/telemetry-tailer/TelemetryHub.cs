using Microsoft.Extensions.Options;
using Platform.TelemetryTailer.Streaming;
using Platform.TelemetryTailer.Tailing;

namespace Platform.TelemetryTailer;

/// <summary>
/// The sessions and the clients. Batches from the tailer go into each session's history ring and to every
/// subscribed client's queue under one lock, and subscribing takes its history under the same lock, so a client
/// sees history and live records with neither gap nor duplicate. Nothing under the lock waits: client queues are
/// offered items (a full one drops) and serialization happens on each client's send loop.
/// </summary>
public sealed class TelemetryHub(IOptions<TelemetryTailerOptions> options, IEnumerable<ITelemetrySink> sinks)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);
    private readonly List<TelemetryClient> _clients = [];
    private readonly ITelemetrySink[] _sinks = [.. sinks];

    public TelemetryTailerOptions Options { get; } = options.Value;

    public int ClientCount
    {
        get { lock (_gate) return _clients.Count; }
    }

    public void OpenSession(string sessionId, string file)
    {
        lock (_gate)
        {
            if (_sessions.ContainsKey(sessionId)) return;
            _sessions[sessionId] = new SessionState(sessionId, file, Options);
            var message = new MessageOutgoing(WireMessages.SessionStarted(sessionId, file));
            foreach (var client in _clients)
            {
                if (client.TryMatch(sessionId, out _)) client.Offer(message);
            }
        }
    }

    public void CloseSession(string sessionId, string reason)
    {
        lock (_gate)
        {
            if (!_sessions.Remove(sessionId)) return;
            var message = new MessageOutgoing(WireMessages.SessionEnded(sessionId, reason));
            foreach (var client in _clients)
            {
                if (client.TryMatch(sessionId, out _)) client.Offer(message);
            }
        }
    }

    public void Publish(SessionBatch batch)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(batch.SessionId, out var session))
            {
                session = new SessionState(batch.SessionId, batch.SessionId + ".jsonl", Options);
                _sessions[batch.SessionId] = session;
            }
            session.Add(batch);
            foreach (var client in _clients)
            {
                if (client.TryMatch(batch.SessionId, out var filter)) client.Offer(new BatchOutgoing(batch, filter));
            }
        }
        foreach (var sink in _sinks) sink.Publish(batch);
    }

    public void Attach(TelemetryClient client)
    {
        lock (_gate) _clients.Add(client);
    }

    public void Detach(TelemetryClient client)
    {
        lock (_gate) _clients.Remove(client);
    }

    /// <summary>Subscribes to one session (or all when <paramref name="sessionId"/> is null), replacing an earlier
    /// subscription to the same, and queues the confirmation and up to <paramref name="lastN"/> records of history per session.</summary>
    public void Subscribe(TelemetryClient client, string? sessionId, int lastN, IReadOnlyList<ThresholdRule>? filter)
    {
        lastN = Math.Clamp(lastN, 0, Options.HistorySize);
        lock (_gate)
        {
            client.SetSubscription(sessionId, filter);
            client.Offer(new MessageOutgoing(WireMessages.Subscribed(sessionId, lastN, filter?.Count ?? 0)));
            if (lastN == 0) return;
            IEnumerable<SessionState> sessions = sessionId is null ? _sessions.Values
                : _sessions.TryGetValue(sessionId, out var one) ? [one] : [];
            foreach (var session in sessions)
            {
                var history = session.Ring.Last(lastN, filter);
                if (history.Length > 0) client.Offer(new HistoryOutgoing(session.Id, history));
            }
        }
    }

    /// <summary>Ends one subscription, or all of them when <paramref name="sessionId"/> is null; false when there was none.</summary>
    public bool Unsubscribe(TelemetryClient client, string? sessionId)
    {
        lock (_gate) return client.RemoveSubscription(sessionId);
    }

    /// <summary>The latest record of one session or of every session.</summary>
    public IReadOnlyList<TailRecord> Snapshot(string? sessionId)
    {
        lock (_gate)
        {
            return [.. _sessions.Values
                .Where(s => sessionId is null || s.Id == sessionId)
                .Select(s => s.Ring.Latest)
                .OfType<TailRecord>()
                .OrderBy(r => r.SessionId, StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<SessionInfo> Sessions()
    {
        lock (_gate) return [.. _sessions.Values.Select(s => s.Describe()).OrderBy(s => s.SessionId, StringComparer.Ordinal)];
    }

    private sealed class SessionState(string id, string file, TelemetryTailerOptions options)
    {
        private long _records;
        private long _errors;
        private long _emergencies;
        private long _lastLine;
        private DateTimeOffset? _updatedAt;

        public string Id { get; } = id;
        public RecordRing Ring { get; } = new(options.HistorySize, options.HistoryMaxBytes);

        public void Add(SessionBatch batch)
        {
            foreach (var record in batch.Records) Ring.Add(record);
            _records += batch.Records.Count;
            _errors += batch.Errors.Count;
            _emergencies += batch.Emergencies.Count;
            _lastLine = Math.Max(batch.Records.Count > 0 ? batch.Records[^1].Line : 0, batch.Errors.Count > 0 ? batch.Errors[^1].Line : 0);
            _updatedAt = DateTimeOffset.UtcNow;
        }

        public SessionInfo Describe() => new(Id, file, _records, _errors, _emergencies, _lastLine, Ring.Count, Ring.Bytes, _updatedAt);
    }
}
