using Microsoft.Extensions.Logging;
using Platform.Nats;

namespace Platform.Transport;

/// <summary>
/// Keeps one subscription alive and reports it to <see cref="TransportReadiness"/>: a handler failure is logged and
/// the loop goes on; a failed subscription is logged and made again after a second.
/// </summary>
public sealed partial class NatsSubscriptionRunner(INatsConnection nats, TransportReadiness readiness, ILogger<NatsSubscriptionRunner> logger)
{
    public async Task RunAsync(string subject, Func<NatsMsg<byte[]>, ValueTask> handle, CancellationToken cancellationToken, INatsDeserialize<byte[]>? deserializer = null)
    {
        readiness.Expect(subject);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var sub = await nats.SubscribeCoreAsync(subject, serializer: deserializer, cancellationToken: cancellationToken).ConfigureAwait(false);
                readiness.Set(subject, true);
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
                            LogHandlerFailed(ex, msg.Subject);
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
                LogSubscriptionFailed(ex, subject);
            }
            readiness.Set(subject, false);
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
    private partial void LogHandlerFailed(Exception ex, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription to {Subject} failed; subscribing again in 1 s (is NATS reachable?)")]
    private partial void LogSubscriptionFailed(Exception ex, string subject);
}
