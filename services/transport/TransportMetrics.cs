using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Platform.Transport.Safety;

namespace Platform.Transport;

/// <summary>
/// The transport's meter, <c>Platform.Transport</c> (the application name ServiceDefaults exports): video latency on the
/// two hops the transport sees, frames sent and dropped per stream, and the layer-2 video gate's mode.
/// </summary>
public sealed class TransportMetrics
{
    public const string MeterName = "Platform.Transport";
    private readonly ConcurrentDictionary<string, VideoStreamMetrics> _streams = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public TransportMetrics(IMeterFactory meterFactory, VideoGate gate, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(MeterName);
        RenderToTransport = meter.CreateHistogram<double>("transport.video.latency.render_to_transport", "ms",
            "render → transport: from a frame's Capture-Ts header (the source's wall clock, Unix µs) to the transport receiving its access unit, by stream. The headers carry no encode time, so this includes render → encoded; a source clock ahead of this one counts as 0.");
        TransportToSent = meter.CreateHistogram<double>("transport.video.latency.transport_to_sent", "ms",
            "transport → sent: from the transport receiving an access unit to a client's WebSocket send of it completing, once per client, by stream.");
        FramesSent = meter.CreateCounter<long>("transport.video.frames.sent", "{frame}",
            "VIDEO messages whose WebSocket send completed, once per client, by stream.");
        FramesDropped = meter.CreateCounter<long>("transport.video.frames.dropped", "{frame}",
            "Frames not sent, by stream and reason: slow_client (a client's queue was full: it skips to the next keyframe, once per client), bad_headers (the encoder's headers could not be read).");
        meter.CreateObservableGauge("transport.video_gate.mode", () => new Measurement<int>((int)gate.Mode, new KeyValuePair<string, object?>("stream", gate.Stream)),
            "{mode}", "The layer-2 video gate on its stream: 0 = ARMED (open), 1 = HOLD, 2 = ESTOP (ordered by severity, as safety.mode).");
    }

    internal Histogram<double> RenderToTransport { get; }
    internal Histogram<double> TransportToSent { get; }
    internal Counter<long> FramesSent { get; }
    internal Counter<long> FramesDropped { get; }

    /// <summary>One stream's recorder, its tags built once (the frame path records without allocating).</summary>
    public VideoStreamMetrics Stream(string stream) => _streams.GetOrAdd(stream, static (name, m) => new VideoStreamMetrics(m, name, m._time), this);
}
