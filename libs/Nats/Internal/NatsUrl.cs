namespace Platform.Nats.Internal;

/// <summary>A parsed <c>nats://[user:pass@|token@]host[:port]</c> URL.</summary>
internal sealed record NatsUrl(string Host, int Port, string? User, string? Password, string? Token)
{
    /// <summary>host:port without credentials, for logs and errors.</summary>
    public string Display => $"nats://{Host}:{Port}";

    public static NatsUrl Parse(string url)
    {
        if (string.IsNullOrWhiteSpace(url)) throw new ArgumentException("NATS URL is empty: expected nats://host:port.", nameof(url));
        var text = url.Contains("://", StringComparison.Ordinal) ? url : "nats://" + url;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "nats" && uri.Scheme != "tcp"))
            throw new ArgumentException($"'{url}' is not a NATS URL: expected nats://[user:pass@]host:port.", nameof(url));
        var port = uri.IsDefaultPort || uri.Port < 0 ? 4222 : uri.Port;
        string? user = null, password = null, token = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                token = Uri.UnescapeDataString(uri.UserInfo);
            }
            else
            {
                user = Uri.UnescapeDataString(uri.UserInfo[..colon]);
                password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }
        return new NatsUrl(uri.IdnHost, port, user, password, token);
    }
}
