using System.Diagnostics;
using System.Diagnostics.Metrics;

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

    public EncoderTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _framesEncoded = meter.CreateCounter<long>("encoder.frames.encoded", "{frame}", "Frames encoded, by stream and profile (live, record).");
        _framesDropped = meter.CreateCounter<long>("encoder.frames.dropped", "{frame}", "Frames received but not encoded, by stream and reason (handoff, invalid, encode_error, record_handoff).");
        _upstreamDropped = meter.CreateCounter<long>("encoder.frames.upstream_dropped", "{frame}", "Frames missing from the source's frame ids (dropped before they reached the encoder).");
        _keyframes = meter.CreateCounter<long>("encoder.keyframes", "{frame}", "Live keyframes, by stream and whether a request forced them.");
        _encodeDuration = meter.CreateHistogram<double>("encoder.encode.duration", "ms", "Time to convert and encode one frame, by profile.");
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
}
