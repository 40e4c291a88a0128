using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults.Web;

/// <summary>
/// Refuses a WebSocket upgrade whose Origin the <see cref="OriginPolicy"/> does not allow with 403 (cross-site
/// WebSocket hijacking: any page in the operator's browser could otherwise open the sockets and send commands).
/// An upgrade without an Origin header is let through: only browsers send one, and a tool (npm ws, werift, a
/// script) acts with no one's ambient authority.
/// </summary>
internal sealed partial class WebSocketOriginMiddleware(RequestDelegate next, OriginPolicy policy, ILogger<WebSocketOriginMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest) return next(context);
        var origin = context.Request.Headers.Origin;
        if (origin.Count == 0 || (origin.Count == 1 && policy.IsAllowed(origin.ToString(), context.Request)))
            return next(context);
        LogRefused(logger, origin.ToString(), context.Request.Path, context.Connection.RemoteIpAddress);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsync($"WebSocket refused: origin {origin} is not allowed (BrowserEdge:AllowedOrigins).", context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSocket upgrade to {Path} refused: origin {Origin} is not allowed (from {Remote})")]
    private static partial void LogRefused(ILogger logger, string origin, string path, System.Net.IPAddress? remote);
}
