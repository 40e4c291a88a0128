using System.Buffers;
using System.Net.WebSockets;

namespace Platform.Transport.Clients;

/// <summary>
/// One WebSocket message waiting in a client's queue. Shared messages (a video frame, a relayed telemetry message)
/// are one array sent to every client; a per-client message may be rented from the shared pool and is returned
/// once sent or dropped. A relayed video frame also carries its stream's meters and its arrival time.
/// </summary>
public readonly record struct Outbound(byte[] Buffer, int Length, WebSocketMessageType Type, bool Pooled = false, bool Keyframe = false,
    VideoStreamMetrics? Metrics = null, long ReceivedAt = 0)
{
    public static Outbound Binary(byte[] message, bool keyframe = false) => new(message, message.Length, WebSocketMessageType.Binary, Keyframe: keyframe);

    /// <summary>A VIDEO message that arrived at <paramref name="receivedAt"/>; sends and drops are counted on <paramref name="metrics"/>.</summary>
    public static Outbound Video(byte[] message, bool keyframe, VideoStreamMetrics metrics, long receivedAt)
        => new(message, message.Length, WebSocketMessageType.Binary, Keyframe: keyframe, Metrics: metrics, ReceivedAt: receivedAt);

    public static Outbound Text(byte[] message) => new(message, message.Length, WebSocketMessageType.Text);

    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    public void Release()
    {
        if (Pooled) ArrayPool<byte>.Shared.Return(Buffer);
    }
}
