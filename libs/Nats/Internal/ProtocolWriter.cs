using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Platform.Nats.Internal;

/// <summary>Writes client protocol commands (protocols.md §1.4) into a buffer.</summary>
internal static class ProtocolWriter
{
    public static void WritePub(IBufferWriter<byte> writer, string subject, string? replyTo, NatsHeaders? headers, int headerSize, ReadOnlySpan<byte> payload)
    {
        var maxLine = 5 + Encoding.UTF8.GetMaxByteCount(subject.Length) + (replyTo is null ? 0 : Encoding.UTF8.GetMaxByteCount(replyTo.Length) + 1) + 26;
        var span = writer.GetSpan(maxLine);
        int pos;
        if (headers is null)
        {
            "PUB "u8.CopyTo(span);
            pos = 4;
        }
        else
        {
            "HPUB "u8.CopyTo(span);
            pos = 5;
        }
        pos += Encoding.UTF8.GetBytes(subject, span[pos..]);
        span[pos++] = (byte)' ';
        if (replyTo is not null)
        {
            pos += Encoding.UTF8.GetBytes(replyTo, span[pos..]);
            span[pos++] = (byte)' ';
        }
        if (headers is not null)
        {
            Utf8Formatter.TryFormat(headerSize, span[pos..], out var n);
            pos += n;
            span[pos++] = (byte)' ';
            Utf8Formatter.TryFormat(headerSize + payload.Length, span[pos..], out n);
            pos += n;
        }
        else
        {
            Utf8Formatter.TryFormat(payload.Length, span[pos..], out var n);
            pos += n;
        }
        span[pos++] = (byte)'\r';
        span[pos++] = (byte)'\n';
        writer.Advance(pos);
        if (headers is not null) HeaderCodec.Write(writer, headers, headerSize);
        var tail = writer.GetSpan(payload.Length + 2);
        payload.CopyTo(tail);
        tail[payload.Length] = (byte)'\r';
        tail[payload.Length + 1] = (byte)'\n';
        writer.Advance(payload.Length + 2);
    }

    public static void WriteSub(IBufferWriter<byte> writer, long sid, string subject, string? queueGroup)
    {
        var line = queueGroup is null ? $"SUB {subject} {sid}\r\n" : $"SUB {subject} {queueGroup} {sid}\r\n";
        Encoding.UTF8.GetBytes(line, writer);
    }

    public static void WriteUnsub(IBufferWriter<byte> writer, long sid, int? maxMsgs)
    {
        var line = maxMsgs is { } max ? $"UNSUB {sid} {max}\r\n" : $"UNSUB {sid}\r\n";
        Encoding.UTF8.GetBytes(line, writer);
    }

    public static void WritePing(IBufferWriter<byte> writer) => writer.Write("PING\r\n"u8);

    public static void WritePong(IBufferWriter<byte> writer) => writer.Write("PONG\r\n"u8);
}
