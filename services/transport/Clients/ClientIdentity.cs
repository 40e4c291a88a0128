using System.Security.Cryptography;

namespace Platform.Transport.Clients;

/// <summary>
/// Names taken from query parameters. A client's identity (the <c>source</c> of its commands, so layer 3 orders each
/// connection's cmd_seq on its own) is <c>ws-&lt;8 hex&gt;</c>, or <c>ws-&lt;8 hex&gt;-&lt;client&gt;</c> with the
/// sanitised <c>?client=</c>: letters, digits, '_' and '-' kept, anything else dropped, at most 32 characters.
/// </summary>
public static class ClientIdentity
{
    public static string NewId(string? clientName)
    {
        var id = "ws-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var name = Sanitise(clientName, 32);
        return name.Length == 0 ? id : $"{id}-{name}";
    }

    /// <summary>Letters, digits, '_' and '-' of <paramref name="value"/>, cut to <paramref name="max"/>.</summary>
    public static string Sanitise(string? value, int max)
    {
        if (string.IsNullOrEmpty(value)) return "";
        Span<char> kept = stackalloc char[Math.Min(value.Length, max)];
        var n = 0;
        foreach (var c in value)
        {
            if (n == kept.Length) break;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-') kept[n++] = c;
        }
        return new string(kept[..n]);
    }

    /// <summary>A session or stream name: a single NATS token of letters, digits, '_' and '-' (1 to 64); null when it is not one.</summary>
    public static string? ValidToken(string? value)
        => value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? value : null;
}
