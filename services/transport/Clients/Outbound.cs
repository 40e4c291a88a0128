using System.Buffers;
using System.Net.WebSockets;

namespace Platform.Transport.Clients;

/// <summary>
/// One WebSocket message waiting in a client's queue. Shared messages (a video frame, a relayed telemetry message)
/// are one array sent to every client; a per-client message may be rented from the shared pool and is returned
/// once sent or dropped.
/// </summary>
public readonly record struct Outbound(byte[] Buffer, int Length, WebSocketMessageType Type, bool Pooled = false, bool Keyframe = false)
{
    public static Outbound Binary(byte[] message, bool keyframe = false) => new(message, message.Length, WebSocketMessageType.Binary, Keyframe: keyframe);

    public static Outbound Text(byte[] message) => new(message, message.Length, WebSocketMessageType.Text);

    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    public void Release()
    {
        if (Pooled) ArrayPool<byte>.Shared.Return(Buffer);
    }
}
