using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.TelemetryTailer.Streaming;

/// <summary><c>/ws/telemetry</c>: accepts with permessage-deflate (when the client offers it) and server pings, then runs the client.</summary>
public static class TelemetryWebSocketEndpoint
{
    public const string Path = "/ws/telemetry";

    public static async Task HandleAsync(HttpContext context, TelemetryHub hub, TelemetryCommands commands, IOptions<TelemetryTailerOptions> options, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint speaks WebSocket: connect with ws://host/ws/telemetry.", context.RequestAborted);
            return;
        }
        var o = options.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            DangerousEnableCompression = true,
            KeepAliveInterval = o.KeepAliveInterval,
            KeepAliveTimeout = o.KeepAliveTimeout,
        });
        using var client = new TelemetryClient(context.Connection.Id, o, loggers.CreateLogger<TelemetryClient>());
        hub.Attach(client);
        try
        {
            await client.RunAsync(socket, commands, context.RequestAborted);
        }
        finally
        {
            hub.Detach(client);
        }
    }
}
