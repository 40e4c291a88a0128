namespace Platform.Encoder.Pipeline;

/// <summary>What GetStats and IngestSummary report for one Ingest call.</summary>
public sealed record IngestStatsSnapshot(
    string EncoderName,
    bool IsJpeg,
    int Width,
    int Height,
    double Fps,
    long BitrateBps,
    double LatencyP50Ms,
    double LatencyP99Ms,
    long FramesReceived,
    long BytesReceived,
    long FramesEncoded,
    long FramesDropped,
    long UpstreamDropped,
    long Keyframes,
    ulong LastFrameId,
    ulong LastKeyframeFrameId);

/// <summary>
/// Counters and rolling windows of one Ingest call: fps and output bitrate over the last <c>window</c>, encode latency
/// percentiles over the last <c>latencyWindow</c> frames. The encode loop writes; GetStats reads at any time.
/// </summary>
public sealed class IngestStats(TimeProvider time, TimeSpan window, int latencyWindow)
{
    private readonly Lock _gate = new();
    private readonly Queue<(long At, int Bytes)> _output = new();
    private readonly double[] _latencyMs = new double[Math.Max(1, latencyWindow)];
    private int _latencyCount;
    private int _latencyNext;
    private long _framesReceived;
    private long _bytesReceived;
    private long _framesEncoded;
    private long _framesDropped;
    private long _upstreamDropped;
    private long _keyframes;
    private ulong _lastFrameId;
    private long _lastReceivedAt = time.GetTimestamp();
    private ulong _lastKeyframeFrameId;
    private string _encoderName = "";
    private bool _isJpeg;
    private int _width;
    private int _height;

    public long FramesReceived => Interlocked.Read(ref _framesReceived);
    public long FramesEncoded => Interlocked.Read(ref _framesEncoded);
    public ulong LastFrameId { get { lock (_gate) return _lastFrameId; } }
    public ulong LastKeyframeFrameId { get { lock (_gate) return _lastKeyframeFrameId; } }

    /// <summary>How long since the last frame arrived (since the call began, before the first).</summary>
    public TimeSpan IdleFor => time.GetElapsedTime(Interlocked.Read(ref _lastReceivedAt));

    public void Received(ulong frameId, int bytes)
    {
        Interlocked.Increment(ref _framesReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
        Interlocked.Exchange(ref _lastReceivedAt, time.GetTimestamp());
        lock (_gate) _lastFrameId = frameId;
    }

    public void Dropped() => Interlocked.Increment(ref _framesDropped);

    public void UpstreamDropped(long count) => Interlocked.Add(ref _upstreamDropped, count);

    public void SessionOpened(string encoderName, bool isJpeg, int width, int height)
    {
        lock (_gate)
        {
            _encoderName = encoderName;
            _isJpeg = isJpeg;
            _width = width;
            _height = height;
        }
    }

    /// <summary>One live access unit of <paramref name="bytes"/> went out.</summary>
    public void Published(int bytes)
    {
        Interlocked.Increment(ref _framesEncoded);
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _output.Enqueue((now, bytes));
            Prune(now);
        }
    }

    /// <summary>One frame took <paramref name="latency"/> to convert and encode.</summary>
    public void EncodeLatency(TimeSpan latency)
    {
        lock (_gate)
        {
            _latencyMs[_latencyNext] = latency.TotalMilliseconds;
            _latencyNext = (_latencyNext + 1) % _latencyMs.Length;
            _latencyCount = Math.Min(_latencyCount + 1, _latencyMs.Length);
        }
    }

    public void Keyframe(ulong frameId)
    {
        Interlocked.Increment(ref _keyframes);
        lock (_gate) _lastKeyframeFrameId = frameId;
    }

    public IngestStatsSnapshot Snapshot()
    {
        lock (_gate)
        {
            var (fps, bitrate) = Rates(time.GetTimestamp());
            var sorted = _latencyMs.AsSpan(0, _latencyCount).ToArray();
            Array.Sort(sorted);
            return new IngestStatsSnapshot(
                _encoderName, _isJpeg, _width, _height, fps, bitrate, Percentile(sorted, 0.50), Percentile(sorted, 0.99),
                Interlocked.Read(ref _framesReceived), Interlocked.Read(ref _bytesReceived), Interlocked.Read(ref _framesEncoded),
                Interlocked.Read(ref _framesDropped), Interlocked.Read(ref _upstreamDropped), Interlocked.Read(ref _keyframes),
                _lastFrameId, _lastKeyframeFrameId);
        }
    }

    /// <summary>Live access units per second and output bits per second over the window.</summary>
    public (double Fps, long BitrateBps) OutputRates()
    {
        lock (_gate) return Rates(time.GetTimestamp());
    }

    private (double Fps, long BitrateBps) Rates(long now)
    {
        Prune(now);
        if (_output.Count == 0) return (0, 0);
        // Over the span the window actually covers, so the rates are right early on and fall to zero after the stream stops.
        var span = Math.Min(time.GetElapsedTime(_output.Peek().At, now).TotalSeconds, window.TotalSeconds);
        span = Math.Max(span, 1e-3);
        long bytes = 0;
        foreach (var (_, b) in _output) bytes += b;
        return (_output.Count / span, (long)(bytes * 8 / span));
    }

    private void Prune(long now)
    {
        while (_output.Count > 0 && time.GetElapsedTime(_output.Peek().At, now) > window) _output.Dequeue();
    }

    /// <summary>Nearest-rank percentile of sorted values; 0 when there are none.</summary>
    internal static double Percentile(ReadOnlySpan<double> sorted, double p)
        => sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
