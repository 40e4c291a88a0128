using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Transport.Clients;

namespace Platform.Transport.Signals;

/// <summary><c>/ws/signals?client=name</c>: seed 001's protocol (schema on connect, JSON commands, HERT binary frames).</summary>
public static partial class SignalsEndpoint
{
    private static readonly Func<ILogger, string, IDisposable?> ClientScope = LoggerMessage.DefineScope<string>("Client {ClientId}");

    public const string Path = "/ws/signals";

    public static async Task HandleAsync(HttpContext context, SignalsHub hub, SignalsCommandHandler handler, SchemaCache schema, IOptions<TransportOptions> options, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"This endpoint speaks WebSocket: connect with ws://host{Path}.", context.RequestAborted);
            return;
        }
        var o = options.Value;
        var id = ClientIdentity.NewId(context.Request.Query["client"].ToString());
        var logger = loggers.CreateLogger("Platform.Transport.Signals.SignalsClient");
        using var scope = ClientScope(logger, id);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = o.KeepAliveInterval });
        using var connection = new ClientConnection(socket, id, o, logger);
        var client = new SignalsClient(connection);
        hub.Attach(client);
        LogConnected(logger, id);
        try
        {
            var run = connection.RunAsync((message, type) => handler.HandleAsync(client, message, type, context.RequestAborted), context.RequestAborted);
            if (await schema.GetAsync(context.RequestAborted) is { } current)
            {
                client.SchemaSent = current.Message;
                client.Send(current.Message);
            }
            else
            {
                client.Send(SignalsMessages.Error("no schema yet: the sim does not answer telemetry.sim.schema (is sim-runner running?); it is sent when the sim answers"));
            }
            await run;
        }
        finally
        {
            hub.Detach(client);
            LogDisconnected(logger, id, connection.ServerCloseReason ?? "closed by the client", connection.Outbox.DroppedTelemetry);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} connected to /ws/signals")]
    private static partial void LogConnected(ILogger logger, string clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} left /ws/signals: {Reason} ({DroppedFrames} telemetry frames dropped)")]
    private static partial void LogDisconnected(ILogger logger, string clientId, string reason, long droppedFrames);
}
