using Platform.TelemetryTailer.Tailing;

namespace Platform.TelemetryTailer;

/// <summary>A consumer of every batch besides the WebSocket clients (NATS). It must not block: queue and return.</summary>
public interface ITelemetrySink
{
    void Publish(SessionBatch batch);
}
