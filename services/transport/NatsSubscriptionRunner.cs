using Microsoft.Extensions.Logging;
using Platform.Nats;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Transport;

/// <summary>
/// The transport's subscriptions: each kept alive by <see cref="NatsSubscriptionLoop"/> and reported to
/// <see cref="TransportReadiness"/>, so the transport is ready only while every subscription it needs is up.
/// </summary>
public sealed class NatsSubscriptionRunner(INatsConnection nats, TransportReadiness readiness, ILogger<NatsSubscriptionRunner> logger)
{
    public Task RunAsync(string subject, Func<NatsMsg<byte[]>, ValueTask> handle, CancellationToken cancellationToken, INatsDeserialize<byte[]>? deserializer = null)
    {
        readiness.Expect(subject);
        return NatsSubscriptionLoop.RunAsync(nats, subject, handle, logger, cancellationToken, up => readiness.Set(subject, up), deserializer);
    }
}
