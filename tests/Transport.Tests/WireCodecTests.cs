using System.Buffers;
using System.Buffers.Binary;
using Platform.Contracts.Wire;

namespace Platform.Transport.Tests;

public sealed class WireCodecTests
{
    private static readonly VideoFrameHeader Sample = new(VideoCodecId.H264, VideoFrameFlags.Keyframe, 42, 1_400_000, 1_763_790_000_123_456, 5);

    [Fact]
    public void Video_header_round_trips_with_the_documented_little_endian_layout()
    {
        var bytes = new byte[VideoFrameHeader.Size];
        Sample.Write(bytes);

        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes));           // codec
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2)));  // flags: keyframe
        Assert.Equal(42UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(1_400_000UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(1_763_790_000_123_456UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(5U, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(28)));
        Assert.True(VideoFrameHeader.TryRead(bytes, out var read, out var error), error);
        Assert.Equal(Sample, read);
        Assert.True(read.IsKeyframe);
    }

    [Fact]
    public void Whole_video_message_round_trips_type_header_and_payload()
    {
        var message = new byte[VideoFrameHeader.MessagePrefixSize + 5];
        new byte[] { 0, 0, 0, 1, 0x65 }.CopyTo(message, VideoFrameHeader.MessagePrefixSize);
        Sample.WriteMessagePrefix(message);

        Assert.Equal((byte)StreamMessageType.Video, message[0]);
        Assert.True(VideoFrameHeader.TryReadMessage(message, out var header, out var payload, out var error), error);
        Assert.Equal(Sample, header);
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x65 }, payload.ToArray());
    }

    [Fact]
    public void Video_reader_refuses_truncated_headers_wrong_type_and_length_mismatch()
    {
        Assert.False(VideoFrameHeader.TryRead(new byte[31], out _, out var error));
        Assert.Contains("truncated", error);

        var message = new byte[VideoFrameHeader.MessagePrefixSize + 5];
        Sample.WriteMessagePrefix(message);
        Assert.False(VideoFrameHeader.TryReadMessage(message.AsSpan(0, message.Length - 1), out _, out _, out error));
        Assert.Contains("payload_len says 5", error);
        Assert.False(VideoFrameHeader.TryReadMessage(message.AsSpan(0, 20), out _, out _, out error));
        Assert.Contains("truncated", error);

        message[0] = 0x02;
        Assert.False(VideoFrameHeader.TryReadMessage(message, out _, out _, out error));
        Assert.Contains("not VIDEO", error);
        Assert.Throws<ArgumentException>(() => Sample.WriteMessagePrefix(new byte[10]));
    }

    [Fact]
    public void Hert_frame_round_trips_with_seed_001_layout()
    {
        var bytes = new byte[HertFrame.SizeOf(3)];
        var written = HertFrame.Write(bytes, 7, 0.125, [1.5, -2, double.MaxValue]);

        Assert.Equal(24 + 3 * 8, written);
        Assert.Equal(0x48455254U, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(7UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0.125, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(12)));
        Assert.Equal(3U, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)));
        Assert.True(HertFrame.TryRead(bytes, out var frame, out var error), error);
        Assert.Equal(7UL, frame.Frame);
        Assert.Equal(0.125, frame.Time);
        Assert.Equal([1.5, -2, double.MaxValue], frame.Values);
    }

    [Fact]
    public void Hert_pooled_writer_picks_values_by_index_in_subscription_order_and_handles_no_signals()
    {
        var length = HertFrame.WritePooled(9, 1.0, [10.0, 20.0, 30.0], [2, 0, 5], out var buffer);
        try
        {
            Assert.True(HertFrame.TryRead(buffer.AsSpan(0, length), out var frame, out var error), error);
            Assert.Equal(30.0, frame.Values[0]);
            Assert.Equal(10.0, frame.Values[1]);
            Assert.True(double.IsNaN(frame.Values[2])); // an index the state lacks
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var empty = new byte[HertFrame.HeaderSize];
        HertFrame.Write(empty, 1, 0, []);
        Assert.True(HertFrame.TryRead(empty, out var none, out _));
        Assert.Empty(none.Values);
    }

    [Fact]
    public void Hert_reader_refuses_truncated_wrong_magic_and_count_mismatch()
    {
        var bytes = new byte[HertFrame.SizeOf(2)];
        HertFrame.Write(bytes, 1, 0, [1, 2]);

        Assert.False(HertFrame.TryRead(bytes.AsSpan(0, 10), out _, out var error));
        Assert.Contains("truncated", error);
        Assert.False(HertFrame.TryRead(bytes.AsSpan(0, bytes.Length - 8), out _, out error));
        Assert.Contains("count 2 needs 40 bytes", error);
        bytes[0] ^= 0xFF;
        Assert.False(HertFrame.TryRead(bytes, out _, out error));
        Assert.Contains("wrong magic", error);
    }
}
