using System.Diagnostics;
using System.Diagnostics.Metrics;
using Platform.Contracts.Subjects;

namespace Platform.Encoder.Hosting;

/// <summary>
/// The encoder's ActivitySource and Meter, both <c>Platform.Encoder</c>: the service's application name, which
/// ServiceDefaults already adds to tracing and metrics.
/// </summary>
public sealed class EncoderTelemetry
{
    public const string Name = "Platform.Encoder";

    internal static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _framesEncoded;
    private readonly Counter<long> _framesDropped;
    private readonly Counter<long> _upstreamDropped;
    private readonly Counter<long> _keyframes;
    private readonly Histogram<double> _encodeDuration;
    private readonly Histogram<double> _renderToEncoded;
    private readonly Meter _meter;

    public EncoderTelemetry(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(Name);
        _framesEncoded = meter.CreateCounter<long>("encoder.frames.encoded", "{frame}", "Frames encoded, by stream and profile (live, record).");
        _framesDropped = meter.CreateCounter<long>("encoder.frames.dropped", "{frame}", "Frames received but not encoded, by stream and reason (handoff, invalid, encode_error, record_handoff).");
        _upstreamDropped = meter.CreateCounter<long>("encoder.frames.upstream_dropped", "{frame}", "Frames missing from the source's frame ids (dropped before they reached the encoder).");
        _keyframes = meter.CreateCounter<long>("encoder.keyframes", "{frame}", "Live keyframes, by stream and whether a request forced them.");
        _encodeDuration = meter.CreateHistogram<double>("encoder.encode.duration", "ms", "Time to convert and encode one frame, by profile.");
        _renderToEncoded = meter.CreateHistogram<double>("encoder.video.latency.render_to_encoded", "ms",
            "render → encoded: from a frame's capture timestamp (the source's wall clock, Unix µs) to its access unit published on video.<stream>.live or .record, by stream and profile. A source clock ahead of this one counts as 0.");
    }

    /// <summary>
    /// The output rates of each stream over the statistics window, as GetStats reports them: gauges rather than a byte
    /// counter, so the dashboard shows bit/s and fps as they are, the same numbers GetStats gives, whatever interval it
    /// plots a counter over.
    /// </summary>
    internal void ObserveOutput(Func<IEnumerable<(string Stream, double Fps, long BitrateBps)>> streams)
    {
        _meter.CreateObservableGauge("encoder.video.fps", () => streams().Select(s => new Measurement<double>(s.Fps, StreamTag(s.Stream))),
            "{frame}/s", "Live access units published per second over the statistics window (Encoder:StatsWindowMs), by stream.");
        _meter.CreateObservableGauge("encoder.video.bitrate", () => streams().Select(s => new Measurement<long>(s.BitrateBps, StreamTag(s.Stream))),
            "bit/s", "Live output bitrate over the statistics window (Encoder:StatsWindowMs), by stream.");
    }

    /// <summary>An access unit went out on NATS: records render → encoded when the frame carries a capture timestamp.</summary>
    public void Published(string stream, string profile, long captureTsUs, TimeProvider time)
    {
        if (_renderToEncoded.Enabled && CaptureTimestamp.AgeMs(captureTsUs, time.GetUtcNow()) is { } ms)
            _renderToEncoded.Record(ms, StreamTag(stream), new KeyValuePair<string, object?>("profile", profile));
    }

    public void Encoded(string stream, string profile, TimeSpan duration)
    {
        _framesEncoded.Add(1, new KeyValuePair<string, object?>("stream", stream), new KeyValuePair<string, object?>("profile", profile));
        _encodeDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("profile", profile));
    }

    public void Dropped(string stream, string reason)
        => _framesDropped.Add(1, new KeyValuePair<string, object?>("stream", stream), new KeyValuePair<string, object?>("reason", reason));

    public void UpstreamDropped(string stream, long count)
        => _upstreamDropped.Add(count, new KeyValuePair<string, object?>("stream", stream));

    public void Keyframe(string stream, bool forced)
        => _keyframes.Add(1, new KeyValuePair<string, object?>("stream", stream), new KeyValuePair<string, object?>("forced", forced));

    private static KeyValuePair<string, object?> StreamTag(string stream) => new("stream", stream);
}
