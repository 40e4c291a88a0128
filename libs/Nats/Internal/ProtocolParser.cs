using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Platform.Nats.Internal;

internal enum ServerOpKind
{
    Msg,
    Ping,
    Pong,
    Ok,
    Err,
    Info,
}

/// <summary>One parsed server operation; spans and sequences point into the read buffer and live only until it advances.</summary>
internal ref struct ServerOp
{
    public ServerOpKind Kind;
    public ReadOnlySpan<byte> Subject;
    public long Sid;
    public ReadOnlySpan<byte> ReplyTo;
    public ReadOnlySequence<byte> Headers;
    public ReadOnlySequence<byte> Payload;
    public int Size;
    public int HeaderSize;
    public bool HasHeaders;
    public string? Text;
}

/// <summary>
/// Parses server operations (protocols.md §1.1, §1.4) straight from the pipe's buffer. Never waits on anything:
/// returns false when a frame is incomplete, throws <see cref="NatsProtocolException"/> on anything malformed.
/// </summary>
internal static class ProtocolParser
{
    public const int MaxControlLine = 4096;

    /// <summary>Hard cap on an incoming message, whatever max_payload a (possibly hostile) server announces.</summary>
    public const long AbsoluteMaxPayload = 64L * 1024 * 1024;

    public static bool TryRead(ref ReadOnlySequence<byte> buffer, long maxPayload, out ServerOp op)
    {
        op = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySpan<byte> line, (byte)'\n'))
        {
            if (buffer.Length > MaxControlLine) throw new NatsProtocolException($"Server sent more than {MaxControlLine} bytes without a CRLF line end.");
            return false;
        }
        if (line.Length > MaxControlLine) throw new NatsProtocolException($"Server sent a control line longer than {MaxControlLine} bytes.");
        if (line.Length == 0 || line[^1] != (byte)'\r') throw new NatsProtocolException("Server sent a line not ended by CRLF.");
        line = line[..^1];
        if (line.Length < 3) throw Unknown(line);

        switch (line[0] | 0x20)
        {
            case 'm' when StartsWithOp(line, "msg "u8):
                op.Kind = ServerOpKind.Msg;
                if (!ParseMsgArgs(line[4..], hasHeaders: false, maxPayload, ref op)) throw Malformed(line);
                return ReadPayload(ref buffer, buffer.Slice(reader.Position), ref op);
            case 'h' when StartsWithOp(line, "hmsg "u8):
                op.Kind = ServerOpKind.Msg;
                op.HasHeaders = true;
                if (!ParseMsgArgs(line[5..], hasHeaders: true, maxPayload, ref op)) throw Malformed(line);
                return ReadPayload(ref buffer, buffer.Slice(reader.Position), ref op);
            case 'p' when EqualsOp(line, "ping"u8):
                op.Kind = ServerOpKind.Ping;
                break;
            case 'p' when EqualsOp(line, "pong"u8):
                op.Kind = ServerOpKind.Pong;
                break;
            case '+' when EqualsOp(line, "+ok"u8):
                op.Kind = ServerOpKind.Ok;
                break;
            case '-' when StartsWithOp(line, "-err"u8):
                op.Kind = ServerOpKind.Err;
                op.Text = Encoding.UTF8.GetString(line[4..].Trim(" \t'"u8));
                break;
            case 'i' when StartsWithOp(line, "info "u8):
                op.Kind = ServerOpKind.Info;
                op.Text = Encoding.UTF8.GetString(line[5..].Trim(" \t"u8));
                break;
            default:
                throw Unknown(line);
        }
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private static bool ReadPayload(ref ReadOnlySequence<byte> buffer, ReadOnlySequence<byte> rest, ref ServerOp op)
    {
        if (rest.Length < op.Size + 2) return false;
        var frame = rest.Slice(0, op.Size);
        var crlf = rest.Slice(op.Size, 2);
        Span<byte> end = stackalloc byte[2];
        crlf.CopyTo(end);
        if (end[0] != (byte)'\r' || end[1] != (byte)'\n')
            throw new NatsProtocolException($"Message payload is not followed by CRLF: the announced size {op.Size} is wrong or the frame is corrupt.");
        if (op.HasHeaders)
        {
            op.Headers = frame.Slice(0, op.HeaderSize);
            op.Payload = frame.Slice(op.HeaderSize);
        }
        else
        {
            op.Payload = frame;
        }
        buffer = rest.Slice(op.Size + 2);
        return true;
    }

    private static bool ParseMsgArgs(ReadOnlySpan<byte> args, bool hasHeaders, long maxPayload, ref ServerOp op)
    {
        Span<Range> parts = stackalloc Range[6];
        var count = Split(args, parts);
        var expected = hasHeaders ? 4 : 3;
        if (count != expected && count != expected + 1) return false;
        op.Subject = args[parts[0]];
        if (!Utf8Parser.TryParse(args[parts[1]], out long sid, out var used) || used != args[parts[1]].Length || sid < 0) return false;
        op.Sid = sid;
        var i = 2;
        if (count == expected + 1) op.ReplyTo = args[parts[i++]];
        var headerSize = 0;
        if (hasHeaders && !TryParseSize(args[parts[i++]], out headerSize)) return false;
        if (!TryParseSize(args[parts[i]], out var total)) return false;
        var limit = Math.Min(Math.Max(maxPayload, 1024 * 1024), AbsoluteMaxPayload);
        if (total > limit) throw new NatsProtocolException($"Server announced a {total}-byte message, over the {limit}-byte limit: refusing to buffer it.");
        if (headerSize > total) return false;
        op.Size = total;
        op.HeaderSize = headerSize;
        return true;
    }

    private static bool TryParseSize(ReadOnlySpan<byte> text, out int size) =>
        Utf8Parser.TryParse(text, out size, out var used) && used == text.Length && size >= 0;

    private static int Split(ReadOnlySpan<byte> args, Span<Range> parts)
    {
        var count = 0;
        var i = 0;
        while (i < args.Length)
        {
            while (i < args.Length && (args[i] == ' ' || args[i] == '\t')) i++;
            if (i >= args.Length) break;
            var start = i;
            while (i < args.Length && args[i] != ' ' && args[i] != '\t') i++;
            if (count == parts.Length) return -1;
            parts[count++] = new Range(start, i);
        }
        return count;
    }

    // Operation names are case-insensitive and may be followed by a space or a tab.
    private static bool StartsWithOp(ReadOnlySpan<byte> line, ReadOnlySpan<byte> op)
    {
        if (line.Length < op.Length) return false;
        if (op[^1] != ' ') return Ascii.EqualsIgnoreCase(line[..op.Length], op);
        return Ascii.EqualsIgnoreCase(line[..(op.Length - 1)], op[..^1]) && line[op.Length - 1] is (byte)' ' or (byte)'\t';
    }

    private static bool EqualsOp(ReadOnlySpan<byte> line, ReadOnlySpan<byte> op) => Ascii.EqualsIgnoreCase(line.TrimEnd(" \t"u8), op);

    private static NatsProtocolException Unknown(ReadOnlySpan<byte> line) =>
        new($"Server sent an unknown protocol operation: '{Printable(line)}'.");

    private static NatsProtocolException Malformed(ReadOnlySpan<byte> line) =>
        new($"Server sent a malformed message line: '{Printable(line)}'.");

    private static string Printable(ReadOnlySpan<byte> line)
    {
        var sb = new StringBuilder();
        foreach (var b in line[..Math.Min(line.Length, 80)]) sb.Append(b is >= 32 and < 127 ? (char)b : '?');
        return sb.ToString();
    }
}
