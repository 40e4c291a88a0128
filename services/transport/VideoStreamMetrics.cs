using Platform.Contracts.Subjects;

namespace Platform.Transport;

/// <summary>Records one stream's video measurements on <see cref="TransportMetrics"/>' instruments with tags built once.</summary>
public sealed class VideoStreamMetrics
{
    private readonly TransportMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly KeyValuePair<string, object?> _stream;
    private static readonly KeyValuePair<string, object?> SlowClient = new("reason", "slow_client");
    private static readonly KeyValuePair<string, object?> BadHeaders = new("reason", "bad_headers");

    internal VideoStreamMetrics(TransportMetrics metrics, string stream, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        _stream = new("stream", stream);
    }

    /// <summary>An access unit arrived: records render → transport and returns the arrival time for <see cref="Sent"/>.</summary>
    public long Received(ulong captureTsUs)
    {
        var histogram = _metrics.RenderToTransport;
        if (histogram.Enabled && CaptureTimestamp.AgeMs((long)captureTsUs, _time.GetUtcNow()) is { } ms) histogram.Record(ms, _stream);
        return _time.GetTimestamp();
    }

    /// <summary>A client's send of a frame that arrived at <paramref name="receivedAt"/> completed.</summary>
    public void Sent(long receivedAt)
    {
        _metrics.FramesSent.Add(1, _stream);
        var histogram = _metrics.TransportToSent;
        if (histogram.Enabled) histogram.Record(_time.GetElapsedTime(receivedAt).TotalMilliseconds, _stream);
    }

    /// <summary>A client skipped <paramref name="frames"/> frames because its queue was full.</summary>
    public void SkippedBySlowClient(int frames) => _metrics.FramesDropped.Add(frames, _stream, SlowClient);

    /// <summary>A frame was not relayed: its headers could not be read.</summary>
    public void UnreadableHeaders() => _metrics.FramesDropped.Add(1, _stream, BadHeaders);
}
