using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Platform.Nats.Internal;

/// <summary>Writes and parses the <c>NATS/1.0</c> header block of HPUB/HMSG.</summary>
internal static class HeaderCodec
{
    private static ReadOnlySpan<byte> Version => "NATS/1.0"u8;

    /// <summary>Exact byte length of the block, including the final blank line.</summary>
    public static int Measure(NatsHeaders headers)
    {
        var size = Version.Length + 2 + 2;
        foreach (var (key, values) in headers)
        {
            var keyLen = Encoding.UTF8.GetByteCount(key);
            foreach (var v in values)
                size += keyLen + 2 + Encoding.UTF8.GetByteCount(v ?? "") + 2;
        }
        return size;
    }

    public static void Write(IBufferWriter<byte> writer, NatsHeaders headers, int size)
    {
        var span = writer.GetSpan(size);
        var pos = 0;
        Version.CopyTo(span);
        pos += Version.Length;
        span[pos++] = (byte)'\r'; span[pos++] = (byte)'\n';
        foreach (var (key, values) in headers)
        {
            foreach (var v in values)
            {
                pos += Encoding.UTF8.GetBytes(key, span[pos..]);
                span[pos++] = (byte)':'; span[pos++] = (byte)' ';
                pos += Encoding.UTF8.GetBytes(v ?? "", span[pos..]);
                span[pos++] = (byte)'\r'; span[pos++] = (byte)'\n';
            }
        }
        span[pos++] = (byte)'\r'; span[pos++] = (byte)'\n';
        writer.Advance(pos);
    }

    /// <summary>Parses a header block; throws <see cref="NatsProtocolException"/> when it is not one.</summary>
    public static NatsHeaders Parse(ReadOnlySequence<byte> block)
    {
        var bytes = block.IsSingleSegment ? block.FirstSpan : block.ToArray();
        var nl = bytes.IndexOf("\r\n"u8);
        if (nl < 0 || !bytes.StartsWith(Version)) throw new NatsProtocolException("Header block does not start with 'NATS/1.0\\r\\n'.");
        var status = bytes[Version.Length..nl].Trim((byte)' ');
        var code = 0;
        string? message = null;
        if (status.Length > 0)
        {
            var sp = status.IndexOf((byte)' ');
            var codeBytes = sp < 0 ? status : status[..sp];
            if (!Utf8Parser.TryParse(codeBytes, out code, out var used) || used != codeBytes.Length)
                throw new NatsProtocolException("Header status line has a non-numeric code.");
            if (sp >= 0) message = Encoding.UTF8.GetString(status[(sp + 1)..].Trim((byte)' '));
        }
        var headers = new NatsHeaders { Code = code, Message = message };
        var rest = bytes[(nl + 2)..];
        while (true)
        {
            var end = rest.IndexOf("\r\n"u8);
            if (end < 0) throw new NatsProtocolException("Header block is not terminated by a blank line.");
            if (end == 0) break;
            var line = rest[..end];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) throw new NatsProtocolException("Header line has no 'Name: value' form.");
            headers.Append(Encoding.UTF8.GetString(line[..colon].Trim((byte)' ')), Encoding.UTF8.GetString(line[(colon + 1)..].Trim((byte)' ')));
            rest = rest[(end + 2)..];
        }
        return headers;
    }
}
