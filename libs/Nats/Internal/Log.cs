using Microsoft.Extensions.Logging;

namespace Platform.Nats.Internal;

/// <summary>The connection's structured log events.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "NATS connected to {Server} (server {Version}, reconnect: {Reconnected})")]
    public static partial void Connected(ILogger logger, string server, string? version, bool reconnected);

    [LoggerMessage(2, LogLevel.Warning, "NATS disconnected from {Server}: {Reason}; reconnecting, publishes are buffered meanwhile")]
    public static partial void Disconnected(ILogger logger, string server, string reason);

    [LoggerMessage(3, LogLevel.Warning, "NATS reconnect attempt {Attempt} to {Server} failed: {Reason}")]
    public static partial void ReconnectFailed(ILogger logger, string server, int attempt, string? reason);

    [LoggerMessage(4, LogLevel.Error, "NATS gave up on {Server} after {Attempts} reconnect attempts; the connection is closed (raise MaxReconnectRetry, or -1 to retry forever)")]
    public static partial void GaveUp(ILogger logger, string server, int attempts, Exception error);

    [LoggerMessage(5, LogLevel.Warning, "NATS slow consumer on subscription {Subscription}: dropped a message on {Subject} with {Pending} waiting ({Dropped} dropped so far); read faster or raise SubPendingChannelCapacity")]
    public static partial void SlowConsumer(ILogger logger, string subscription, string subject, int pending, long dropped);

    [LoggerMessage(6, LogLevel.Warning, "NATS server error: {Error}")]
    public static partial void ServerWarning(ILogger logger, string error);

    [LoggerMessage(7, LogLevel.Error, "NATS could not deliver a message on subscription {Subscription}; the message was skipped")]
    public static partial void DeliveryFailed(ILogger logger, string subscription, Exception error);

    [LoggerMessage(8, LogLevel.Warning, "NATS event handler failed")]
    public static partial void EventHandlerFailed(ILogger logger, Exception error);

    [LoggerMessage(9, LogLevel.Warning, "NATS first connect to {Server} failed ({Reason}); retrying in the background")]
    public static partial void ConnectFailedRetrying(ILogger logger, string server, string reason);

    [LoggerMessage(10, LogLevel.Warning, "NATS connection to {Server} disposed with publishes not yet sent")]
    public static partial void UnsentOnDispose(ILogger logger, string server);

    [LoggerMessage(11, LogLevel.Error, "NATS connection to {Server} closed with {Bytes} bytes of publishes unsent; they were not delivered")]
    public static partial void UnsentOnClose(ILogger logger, string server, int bytes);
}
