using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults.Web;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service that browsers reach over WebSocket shares (transport, telemetry-tailer): the origin policy and a
/// per-address limit on connection attempts; and the security headers of the pages a service serves.
/// </summary>
public static partial class BrowserEdgeExtensions
{
    /// <summary>Options from "BrowserEdge" (checked at start), the <see cref="OriginPolicy"/>, the connection rate limiter and the request body limit.</summary>
    public static IHostApplicationBuilder AddBrowserEdge(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BrowserEdgeOptions>()
            .Bind(builder.Configuration.GetSection(BrowserEdgeOptions.SectionName))
            .Validate(o => o.ConnectionPermitLimit > 0 && o.ConnectionWindow > TimeSpan.Zero && o.MaxRequestBodyBytes > 0,
                $"{BrowserEdgeOptions.SectionName}: ConnectionPermitLimit, ConnectionWindow and MaxRequestBodyBytes must be positive")
            .Validate(o => o.AllowedOrigins.All(entry => OriginPolicy.TryParse(entry, out _, out _)),
                $"{BrowserEdgeOptions.SectionName}:AllowedOrigins: every entry must be scheme://host, scheme://host:port or scheme://host:* (http or https, no path)")
            .ValidateOnStart();
        // Kestrel loads its endpoints and certificates from configuration by itself, but not its limits.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<BrowserEdgeOptions>>((kestrel, edge) => kestrel.Limits.MaxRequestBodySize = edge.Value.MaxRequestBodyBytes);
        builder.Services.AddSingleton(sp => OriginPolicy.From(sp.GetRequiredService<IOptions<BrowserEdgeOptions>>().Value));
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<BrowserEdgeOptions>, ILoggerFactory>((limiter, edge, loggers) =>
        {
            var o = edge.Value;
            var logger = loggers.CreateLogger(typeof(BrowserEdgeExtensions).FullName!);
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only WebSocket upgrades are counted: each one opens a client with queues and NATS interest, while the
            // page's own files and the probes stay cheap.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => context.WebSockets.IsWebSocketRequest
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = o.ConnectionPermitLimit,
                    Window = o.ConnectionWindow,
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, _) =>
            {
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                LogRateLimited(logger, rejected.HttpContext.Request.Path, rejected.HttpContext.Connection.RemoteIpAddress, o.ConnectionPermitLimit, o.ConnectionWindow);
                return ValueTask.CompletedTask;
            };
        });
        return builder;
    }

    /// <summary>
    /// The WebSocket middleware, then the connection rate limiter and the origin policy in front of every upgrade the
    /// app accepts (call before mapping the WebSocket endpoints, once).
    /// </summary>
    public static WebApplication UseBrowserEdge(this WebApplication app)
    {
        app.UseWebSockets();
        app.UseRateLimiter();
        app.UseMiddleware<WebSocketOriginMiddleware>();
        return app;
    }

    /// <summary>
    /// Security headers on every response of a service that serves pages: a Content-Security-Policy that allows the
    /// page's own scripts, styles and images and sockets to its own host (no inline script, no framing), nosniff, no
    /// referrer, a Permissions-Policy that allows only the gamepad; and HSTS over TLS (ASP.NET Core's, which leaves out
    /// localhost).
    /// </summary>
    public static WebApplication UsePageSecurityHeaders(this WebApplication app)
    {
        app.UseHsts();
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            // 'self' covers same-host ws:/wss: in current browsers; the explicit source covers those that predate CSP 3.
            headers.ContentSecurityPolicy = $"default-src 'self'; connect-src 'self' {(context.Request.IsHttps ? "wss" : "ws")}://{context.Request.Host}; "
                + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            return next(context);
        });
        return app;
    }

    private const string PermissionsPolicy = "gamepad=(self), accelerometer=(), camera=(), display-capture=(), fullscreen=(), geolocation=(), "
        + "gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()";

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSocket upgrade to {Path} refused with 429: {Remote} made more than {Limit} connection attempts in {Window}")]
    private static partial void LogRateLimited(ILogger logger, string path, System.Net.IPAddress? remote, int limit, TimeSpan window);
}
