using Platform.Encoder.Control;
using Platform.Encoder.Hosting;

namespace Platform.Encoder.Pipeline;

/// <summary>A keyframe request's answer: accepted or throttled, and the frame id it concerns.</summary>
public sealed record KeyframeOutcome(bool Accepted, ulong FrameId, KeyframeDecision Decision);

/// <summary>A bitrate request's answer: what was applied after clamping into [floor, ceiling].</summary>
public sealed record BitrateOutcome(long AppliedBps, long CeilingBps, bool Clamped);

/// <summary>
/// One stream (<c>video.&lt;name&gt;.*</c>) across Ingest calls: at most one Ingest at a time, the keyframe throttle, the
/// target bitrate and the record lease (all outlive a call, so a reconnecting source keeps them), and the latest call's statistics.
/// </summary>
public sealed class StreamState(string name, EncoderOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private IngestPipeline? _active;
    private IngestPipeline? _latest;
    private long _targetBitrateBps = options.ClampBitrate(options.LiveBitrateBps);
    private long _recordLeaseUntil; // TimeProvider timestamp; 0: never leased

    public string Name { get; } = name;

    public KeyframeThrottle Throttle { get; } = new(time,
        TimeSpan.FromMilliseconds(options.KeyframeMinIntervalMs), TimeSpan.FromMilliseconds(options.KeyframeQuietAfterKeyframeMs));

    public long TargetBitrateBps => Interlocked.Read(ref _targetBitrateBps);

    /// <summary>Whether a consumer holds a lease on the record profile now (<see cref="LeaseRecord"/>).</summary>
    public bool RecordLeased => time.GetTimestamp() < Interlocked.Read(ref _recordLeaseUntil);

    /// <summary>Records until at least <paramref name="lease"/> from now; a lease never shortens a longer one another consumer holds.</summary>
    public void LeaseRecord(TimeSpan lease)
    {
        var until = time.GetTimestamp() + (long)(lease.TotalSeconds * time.TimestampFrequency);
        long current;
        do
        {
            current = Interlocked.Read(ref _recordLeaseUntil);
            if (current >= until) return;
        }
        while (Interlocked.CompareExchange(ref _recordLeaseUntil, until, current) != current);
    }

    /// <summary>The Ingest call encoding this stream now, if any.</summary>
    public IngestPipeline? Active { get { lock (_gate) return _active; } }

    /// <summary>Statistics of the running Ingest call, else of the last one.</summary>
    public IngestStatsSnapshot Stats()
    {
        lock (_gate) return (_active ?? _latest)!.Stats.Snapshot();
    }

    /// <summary>Output rates of the running Ingest call, else of the last one (zero once its window has passed); null before the first.</summary>
    public (double Fps, long BitrateBps)? OutputRates()
    {
        lock (_gate) return (_active ?? _latest)?.Stats.OutputRates();
    }

    /// <summary>Makes <paramref name="create"/>'s pipeline the active one, or returns null when another call holds the stream.</summary>
    internal IngestPipeline? TryAttach(Func<StreamState, IngestPipeline> create)
    {
        lock (_gate)
        {
            if (_active is not null) return null;
            _active = _latest = create(this);
            return _active;
        }
    }

    internal void Detach(IngestPipeline pipeline)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_active, pipeline)) _active = null;
        }
    }

    /// <summary>
    /// Throttled keyframe request. When accepted while frames flow, waits (up to <see cref="EncoderOptions.KeyframeReplyTimeoutMs"/>)
    /// for the keyframe and answers its frame id; otherwise the id it is expected at. Throttled: the last keyframe's id.
    /// </summary>
    public async Task<KeyframeOutcome> RequestKeyframeAsync(CancellationToken cancellationToken)
    {
        var decision = Throttle.TryAccept();
        IngestPipeline? pipeline;
        lock (_gate) pipeline = _active ?? _latest;
        if (pipeline is null) return new KeyframeOutcome(decision == KeyframeDecision.Accepted, 0, decision);
        if (decision != KeyframeDecision.Accepted) return new KeyframeOutcome(false, pipeline.Stats.LastKeyframeFrameId, decision);
        // A stream that is not running starts its next call with a keyframe anyway.
        if (!ReferenceEquals(pipeline, Active)) return new KeyframeOutcome(true, pipeline.Stats.LastFrameId + 1, decision);
        var frameId = await pipeline.ForceKeyframeAsync(TimeSpan.FromMilliseconds(options.KeyframeReplyTimeoutMs), cancellationToken).ConfigureAwait(false);
        return new KeyframeOutcome(true, frameId ?? pipeline.Stats.LastFrameId + 1, decision);
    }

    /// <summary>Clamps and stores the target; the running call applies it before its next frame.</summary>
    public BitrateOutcome SetBitrate(long requestedBps)
    {
        var applied = options.ClampBitrate(requestedBps);
        Interlocked.Exchange(ref _targetBitrateBps, applied);
        return new BitrateOutcome(applied, options.BitrateCeilingBps, applied != requestedBps);
    }
}
