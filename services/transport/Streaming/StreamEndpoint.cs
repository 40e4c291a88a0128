using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Transport.Clients;
using Platform.Transport.Telemetry;

namespace Platform.Transport.Streaming;

/// <summary>
/// <c>/stream/ws?stream=main&amp;session=default&amp;client=name&amp;subjects=a.*,safety.state</c>: the binary protocol
/// of ARCHITECTURE.md section 7 (see PROTOCOL.md). A bad query parameter is refused with 400 before the upgrade.
/// </summary>
public static partial class StreamEndpoint
{
    private static readonly Func<ILogger, string, string, string, IDisposable?> ClientScope =
        LoggerMessage.DefineScope<string, string, string>("Client {ClientId} session {Session} stream {Stream}");

    public const string Path = "/stream/ws";

    public static async Task HandleAsync(HttpContext context, StreamHub hub, StreamMessageHandler handler, IOptions<TransportOptions> options, ILoggerFactory loggers)
    {
        var o = options.Value;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"This endpoint speaks WebSocket: connect with ws://host{Path}.", context.RequestAborted);
            return;
        }
        var query = context.Request.Query;
        var stream = query.TryGetValue("stream", out var s) ? ClientIdentity.ValidToken(s.ToString()) : o.DefaultStream;
        var session = query.TryGetValue("session", out var ss) ? ClientIdentity.ValidToken(ss.ToString()) : o.DefaultSession;
        var filter = SubjectFilter.All;
        string? error = null;
        if (query.TryGetValue("subjects", out var subjects) && !SubjectFilter.TryCreate(subjects.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries), out filter, out error))
            error = $"subjects: {error}";
        if (stream is null) error = "stream must be 1 to 64 letters, digits, '_' or '-'";
        if (session is null) error = "session must be 1 to 64 letters, digits, '_' or '-'";
        if (error is not null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(error, context.RequestAborted);
            return;
        }

        var id = ClientIdentity.NewId(query["client"].ToString());
        var logger = loggers.CreateLogger("Platform.Transport.Streaming.StreamClient");
        using var scope = ClientScope(logger, id, session!, stream!);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = o.KeepAliveInterval });
        using var connection = new ClientConnection(socket, id, o, logger);
        var client = new StreamClient(connection, session!, stream!, filter!);
        client.Reply(StreamMessages.Welcome(id, session!, stream!, filter!.Patterns, o.MaxMessageBytes, (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond));
        hub.Attach(client);
        LogConnected(logger, id, session!, stream!, context.Connection.RemoteIpAddress);
        try
        {
            await connection.RunAsync((message, type) => handler.HandleAsync(client, message, type, context.RequestAborted), context.RequestAborted);
        }
        finally
        {
            hub.Detach(client);
            LogDisconnected(logger, id, connection.ServerCloseReason ?? "closed by the client", connection.Outbox.SentVideoFrames, connection.Outbox.DroppedVideoFrames, connection.Outbox.DroppedTelemetry);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} connected to /stream/ws (session {Session}, stream {Stream}, from {Remote})")]
    private static partial void LogConnected(ILogger logger, string clientId, string session, string stream, System.Net.IPAddress? remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} left /stream/ws: {Reason} ({Sent} frames sent, {DroppedFrames} frames and {DroppedTelemetry} telemetry messages dropped)")]
    private static partial void LogDisconnected(ILogger logger, string clientId, string reason, long sent, long droppedFrames, long droppedTelemetry);
}
