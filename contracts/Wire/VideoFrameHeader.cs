using System.Buffers.Binary;

namespace Platform.Contracts.Wire;

/// <summary>
/// The 32-byte header of a <c>/stream/ws</c> VIDEO message, after the type byte, little-endian:
/// codec u16, flags u16, frame_id u64, pts_us u64, capture_ts_us u64, payload_len u32.
/// </summary>
public readonly record struct VideoFrameHeader(
    VideoCodecId Codec,
    VideoFrameFlags Flags,
    ulong FrameId,
    ulong PtsUs,
    ulong CaptureTsUs,
    uint PayloadLength)
{
    public const int Size = 32;

    /// <summary>Type byte + header: where the payload starts in a whole VIDEO message.</summary>
    public const int MessagePrefixSize = 1 + Size;

    public bool IsKeyframe => (Flags & VideoFrameFlags.Keyframe) != 0;

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"A video frame header needs {Size} bytes; the destination has {destination.Length}.", nameof(destination));
        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)Codec);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[4..], FrameId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[12..], PtsUs);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[20..], CaptureTsUs);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], PayloadLength);
    }

    /// <summary>Writes the type byte and this header in front of the payload: <paramref name="message"/> is the whole VIDEO message.</summary>
    public void WriteMessagePrefix(Span<byte> message)
    {
        if (message.Length != MessagePrefixSize + PayloadLength)
            throw new ArgumentException($"A VIDEO message with a {PayloadLength}-byte payload is {MessagePrefixSize + PayloadLength} bytes; got {message.Length}.", nameof(message));
        message[0] = (byte)StreamMessageType.Video;
        Write(message[1..]);
    }

    /// <summary>Reads a header; false with the reason when <paramref name="source"/> is shorter than <see cref="Size"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VideoFrameHeader header, out string? error)
    {
        header = default;
        if (source.Length < Size)
        {
            error = $"truncated video frame header: {source.Length} of {Size} bytes";
            return false;
        }
        header = new VideoFrameHeader(
            (VideoCodecId)BinaryPrimitives.ReadUInt16LittleEndian(source),
            (VideoFrameFlags)BinaryPrimitives.ReadUInt16LittleEndian(source[2..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[12..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[28..]));
        error = null;
        return true;
    }

    /// <summary>
    /// Reads a whole VIDEO message (type byte, header, payload); false with the reason when the type is not VIDEO,
    /// the header is truncated, or payload_len does not match the bytes that follow.
    /// </summary>
    public static bool TryReadMessage(ReadOnlySpan<byte> message, out VideoFrameHeader header, out ReadOnlySpan<byte> payload, out string? error)
    {
        payload = default;
        header = default;
        if (message.IsEmpty || message[0] != (byte)StreamMessageType.Video)
        {
            error = message.IsEmpty ? "empty message" : $"type byte 0x{message[0]:x2} is not VIDEO (0x01)";
            return false;
        }
        if (!TryRead(message[1..], out header, out error)) return false;
        var rest = message[MessagePrefixSize..];
        if (rest.Length != header.PayloadLength)
        {
            error = $"payload_len says {header.PayloadLength} bytes but {rest.Length} follow the header";
            return false;
        }
        payload = rest;
        return true;
    }
}
