using System.Text;

namespace Platform.Contracts.Wire;

/// <summary>A WebSocket close reason is at most 123 bytes of UTF-8 (RFC 6455 5.5: 125-byte control payload, 2 for the code).</summary>
public static class WebSocketCloseReason
{
    public const int MaxBytes = 123;

    /// <summary>The reason as it is when it fits, else cut on a character boundary to at most 120 bytes.</summary>
    public static string Fit(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxBytes) return reason;
        var cut = reason[..Math.Min(reason.Length, 120)];
        while (Encoding.UTF8.GetByteCount(cut) > 120) cut = cut[..^1];
        return cut;
    }
}
