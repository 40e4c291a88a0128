namespace Platform.ServiceDefaults.Web;

/// <summary>
/// The browser edge of a service that serves WebSockets (transport, telemetry-tailer), bound from the "BrowserEdge"
/// configuration section of that service (e.g. <c>BrowserEdge__AllowedOrigins__0=https://ops.example.com</c>).
/// </summary>
public sealed class BrowserEdgeOptions
{
    public const string SectionName = "BrowserEdge";

    /// <summary>The origins a browser may open WebSockets from, besides the page's own (same scheme, host and port),
    /// as <c>scheme://host</c>, <c>scheme://host:port</c> or <c>scheme://host:*</c> (any port). Empty:
    /// <see cref="OriginPolicy.DevelopmentOrigins"/> (localhost and 127.0.0.1 on any port, http and https).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>WebSocket connection attempts one client address may make per <see cref="ConnectionWindow"/>; beyond
    /// them the upgrade is answered 429 until the window ends.</summary>
    public int ConnectionPermitLimit { get; set; } = 60;

    public TimeSpan ConnectionWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest HTTP request body (Kestrel's <c>MaxRequestBodySize</c>, for every endpoint of the service); the
    /// browser edge takes no uploads, so a larger body is refused with 413 as soon as it is read.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
