using Microsoft.Extensions.Logging;
using Platform.Nats;

namespace Platform.SimRunner.Hosting;

/// <summary>Keeps one subscription alive: a failure is logged and the subscription is made again after a pause.</summary>
internal static partial class NatsSubscriptionLoop
{
    public static async Task RunAsync(INatsConnection nats, string subject, Func<NatsMsg<byte[]>, ValueTask> handle, ILogger logger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var msg in nats.SubscribeAsync<byte[]>(subject, cancellationToken: cancellationToken).ConfigureAwait(false))
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
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSubscriptionFailed(logger, ex, subject);
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
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message on {Subject} failed; the subscription goes on")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription to {Subject} failed; subscribing again in 1 s (is NATS reachable?)")]
    private static partial void LogSubscriptionFailed(ILogger logger, Exception ex, string subject);
}
