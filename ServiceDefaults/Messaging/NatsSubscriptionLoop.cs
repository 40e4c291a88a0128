using Microsoft.Extensions.Logging;
using Platform.Nats;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Keeps one subscription alive for a service's lifetime: a handler failure is logged and the next message handled;
/// a failed subscription (NATS unreachable at start, a bad permission) is logged and made again after a second. The
/// client itself resubscribes across reconnects, so this loop only sees failures the client gave up on.
/// </summary>
public static partial class NatsSubscriptionLoop
{
    /// <param name="onSubscribed">Called with true once the subscription is made and false when it is lost (readiness).</param>
    /// <param name="deserializer">The payload reader; the connection's registry when null.</param>
    public static async Task RunAsync(
        INatsConnection nats,
        string subject,
        Func<NatsMsg<byte[]>, ValueTask> handle,
        ILogger logger,
        CancellationToken cancellationToken,
        Action<bool>? onSubscribed = null,
        INatsDeserialize<byte[]>? deserializer = null)
    {
        ArgumentNullException.ThrowIfNull(nats);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(logger);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var sub = await nats.SubscribeCoreAsync(subject, serializer: deserializer, cancellationToken: cancellationToken).ConfigureAwait(false);
                onSubscribed?.Invoke(true);
                while (await sub.Msgs.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (sub.Msgs.TryRead(out var msg))
                    {
                        try
                        {
                            await handle(msg).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                        {
                            LogHandlerFailed(logger, ex, msg.Subject);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSubscriptionFailed(logger, ex, subject);
            }
            onSubscribed?.Invoke(false);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message on {Subject} failed; the subscription goes on")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription to {Subject} failed; subscribing again in 1 s (is NATS reachable?)")]
    private static partial void LogSubscriptionFailed(ILogger logger, Exception ex, string subject);
}
