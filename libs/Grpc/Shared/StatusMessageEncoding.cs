using System.Text;

namespace Platform.Grpc.Shared;

/// <summary>Percent-encoding of <c>grpc-message</c>: bytes 0x20–0x7E except '%' as they are, every other UTF-8 byte as %XX.</summary>
internal static class StatusMessageEncoding
{
    public static string Encode(string message)
    {
        var needs = false;
        foreach (var c in message)
        {
            if (c is < ' ' or > '~' or '%') { needs = true; break; }
        }
        if (!needs) return message;
        var bytes = Encoding.UTF8.GetBytes(message);
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%') sb.Append((char)b);
            else sb.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
        }
        return sb.ToString();
    }

    /// <summary>Never fails: a bad escape is passed through as it is.</summary>
    public static string Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.Contains('%')) return value ?? "";
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                bytes.Add((byte)(HexValue(value[i + 1]) << 4 | HexValue(value[i + 2])));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return value;
        }
    }

    private const string HexUpper = "0123456789ABCDEF";

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
