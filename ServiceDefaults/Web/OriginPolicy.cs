using Microsoft.AspNetCore.Http;

namespace Platform.ServiceDefaults.Web;

/// <summary>
/// Which browser origins may open a WebSocket: the page's own origin (the request's scheme, host and port) and an
/// allow-list whose entries may leave the port open (<c>http://localhost:*</c>). ASP.NET Core's
/// <c>WebSocketOptions.AllowedOrigins</c> compares whole origin strings, so it can express neither a wildcard port nor
/// "the host this request came to" (a remote operator reaches the service under a name it cannot know in advance).
/// </summary>
public sealed class OriginPolicy
{
    /// <summary>Local development: a page served from this machine on any port.</summary>
    public static readonly string[] DevelopmentOrigins = ["http://localhost:*", "http://127.0.0.1:*", "https://localhost:*", "https://127.0.0.1:*"];

    private readonly Pattern[] _allowed;

    public OriginPolicy(IEnumerable<string> allowed)
    {
        _allowed = [.. allowed.Select(entry => TryParse(entry, out var pattern, out var error)
            ? pattern
            : throw new ArgumentException($"{BrowserEdgeOptions.SectionName}:AllowedOrigins: {error}", nameof(allowed)))];
    }

    /// <summary>The configured allow-list, or <see cref="DevelopmentOrigins"/> when none is configured.</summary>
    public static OriginPolicy From(BrowserEdgeOptions options) => new(options.AllowedOrigins.Length > 0 ? options.AllowedOrigins : DevelopmentOrigins);

    /// <summary>Whether a browser page of <paramref name="origin"/> (the Origin header) may use <paramref name="request"/>'s host.</summary>
    public bool IsAllowed(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/" || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return false; // "null" (sandboxed frames, file: pages) and anything that is not an http(s) origin
        var requestPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        if (string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == requestPort)
            return true;
        return _allowed.Any(p => p.Matches(uri));
    }

    /// <summary>Checks an allow-list entry; <paramref name="error"/> says what is wrong with it.</summary>
    public static bool TryParse(string entry, out Pattern pattern, out string? error)
    {
        pattern = default;
        var anyPort = entry.EndsWith(":*", StringComparison.Ordinal);
        var text = anyPort ? entry[..^2] : entry;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.PathAndQuery != "/" || text.EndsWith('/') || !string.IsNullOrEmpty(uri.UserInfo) || (anyPort && !uri.IsDefaultPort))
        {
            error = $"'{entry}' is not an origin: write scheme://host, scheme://host:port or scheme://host:* (http or https, no path)";
            return false;
        }
        pattern = new Pattern(uri.Scheme, uri.Host, anyPort ? null : uri.Port);
        error = null;
        return true;
    }

    /// <summary>An allowed origin; a null port matches any port.</summary>
    public readonly record struct Pattern(string Scheme, string Host, int? Port)
    {
        public bool Matches(Uri origin) => origin.Scheme == Scheme
            && string.Equals(origin.Host, Host, StringComparison.OrdinalIgnoreCase)
            && (Port is null || origin.Port == Port);
    }
}
