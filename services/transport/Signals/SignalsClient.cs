using System.Diagnostics;
using Platform.Transport.Clients;

namespace Platform.Transport.Signals;

/// <summary>
/// A <c>/ws/signals</c> client: its subscription (signal names in order, and the rate) and when its next HERT frame
/// is due. Frames are decimated on wall time as states arrive, so the rate holds whatever the sim's rate is
/// (a client asking more than the sim publishes gets every state).
/// </summary>
public sealed class SignalsClient(ClientConnection connection)
{
    private readonly Lock _lock = new();
    private Subscription? _subscription;
    private long _nextDue;

    public ClientConnection Connection { get; } = connection;
    public string Id => Connection.Id;

    /// <summary>Set once the schema went out (on connect, or later when the sim first answered).</summary>
    public byte[]? SchemaSent { get; set; }

    public sealed record Subscription(IReadOnlyList<string> Signals, double RateHz)
    {
        /// <summary>Indices into the state's values, resolved against the names the state was built with.</summary>
        public int[] Indices { get; set; } = [];
        public IReadOnlyList<string>? ResolvedFor { get; set; }
    }

    public Subscription? Current
    {
        get { lock (_lock) return _subscription; }
    }

    public void Subscribe(IReadOnlyList<string> signals, double rateHz)
    {
        lock (_lock)
        {
            _subscription = new Subscription(signals, rateHz);
            _nextDue = 0;
        }
    }

    /// <summary>Whether a frame is due now; if so the next one is scheduled a period later (a quarter period early counts).</summary>
    public bool TryTakeDue(long now, out Subscription? subscription)
    {
        lock (_lock)
        {
            subscription = _subscription;
            if (subscription is null) return false;
            var period = (long)(Stopwatch.Frequency / subscription.RateHz);
            if (_nextDue != 0 && now < _nextDue - period / 4) return false;
            _nextDue = _nextDue == 0 || now - _nextDue > period ? now + period : _nextDue + period;
            return true;
        }
    }

    public void Send(byte[] json) => Connection.Outbox.OfferControl(Outbound.Text(json));
}
