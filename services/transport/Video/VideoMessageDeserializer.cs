using System.Buffers;
using Platform.Contracts.Wire;
using NATS.Client.Core;

namespace Platform.Transport.Video;

/// <summary>
/// Reads a <c>video.&lt;stream&gt;.live</c> payload straight into a whole VIDEO message: 33 bytes left free in front
/// for the type byte and header, so the access unit is copied once and the same array goes to every client.
/// </summary>
public sealed class VideoMessageDeserializer : INatsDeserialize<byte[]>
{
    public static readonly VideoMessageDeserializer Instance = new();

    public byte[]? Deserialize(in ReadOnlySequence<byte> buffer)
    {
        var message = GC.AllocateUninitializedArray<byte>(VideoFrameHeader.MessagePrefixSize + (int)buffer.Length);
        buffer.CopyTo(message.AsSpan(VideoFrameHeader.MessagePrefixSize));
        return message;
    }
}
