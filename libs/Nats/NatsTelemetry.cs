using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Nats;

/// <summary>
/// Names of this client's ActivitySource and Meter, for <c>AddSource</c>/<c>AddMeter</c> in ServiceDefaults.
/// Spans follow the OpenTelemetry messaging conventions; <c>traceparent</c>/<c>tracestate</c> travel in headers.
/// </summary>
public static class NatsTelemetry
{
    public const string ActivitySourceName = "Platform.Nats";
    public const string MeterName = "Platform.Nats";

    internal static readonly ActivitySource Source = new(ActivitySourceName);
    internal static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>("nats.client.messages.sent", "{message}", "Messages published");
    internal static readonly Counter<long> BytesSent = Meter.CreateCounter<long>("nats.client.bytes.sent", "By", "Payload and header bytes published");
    internal static readonly Counter<long> MessagesReceived = Meter.CreateCounter<long>("nats.client.messages.received", "{message}", "Messages received");
    internal static readonly Counter<long> BytesReceived = Meter.CreateCounter<long>("nats.client.bytes.received", "By", "Payload and header bytes received");
    internal static readonly Counter<long> MessagesDropped = Meter.CreateCounter<long>("nats.client.messages.dropped", "{message}", "Messages dropped because a subscription's channel was full");
    internal static readonly Counter<long> Reconnects = Meter.CreateCounter<long>("nats.client.reconnects", "{reconnect}", "Successful reconnects");

    /// <summary>Starts a span as a child of the trace context carried in the message's headers (for handlers of received messages).</summary>
    public static Activity? StartActivity<T>(this NatsMsg<T> msg, string name, ActivityKind kind = ActivityKind.Consumer) =>
        Source.StartActivity(name, kind, ExtractContext(msg.Headers));

    internal static void Inject(Activity activity, NatsHeaders headers)
    {
        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, key, value) =>
        {
            if (carrier is NatsHeaders h && value is not null) h[key] = value;
        });
    }

    internal static ActivityContext ExtractContext(NatsHeaders? headers)
    {
        if (headers is null || !headers.ContainsKey("traceparent")) return default;
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
        {
            values = null;
            value = carrier is NatsHeaders h && h.TryGetValue(name, out var v) ? v.ToString() : null;
        }, out var traceParent, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }
}
