using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Nats.Tests;

[Collection(nameof(TelemetryTests))] // listeners are process-wide
public sealed class TelemetryTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task Trace_context_travels_in_headers_from_publish_to_receive()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is NatsTelemetry.ActivitySourceName or "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var testSource = new ActivitySource("test");

        await using var publisher = fixture.Connect();
        await using var consumer = fixture.Connect();
        await using var sub = await consumer.SubscribeCoreAsync<string>("trace.cmd");
        await consumer.PingAsync();

        ActivityTraceId traceId;
        using (var operation = testSource.StartActivity("operator command"))
        {
            traceId = operation!.TraceId;
            await publisher.PublishAsync("trace.cmd", "go");
        }
        var msg = await sub.Msgs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var traceparent = msg.Headers!["traceparent"].ToString();
        Assert.Contains(traceId.ToHexString(), traceparent);

        using (var handler = msg.StartActivity("apply command"))
            Assert.Equal(traceId, handler!.TraceId);

        var publish = Assert.Single(stopped, a => a.OperationName == "trace.cmd publish");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(traceId, publish.TraceId);
        Assert.Equal("nats", publish.GetTagItem("messaging.system"));
        var receive = Assert.Single(stopped, a => a.OperationName == "trace.cmd receive");
        Assert.Equal(ActivityKind.Consumer, receive.Kind);
        Assert.Equal(traceId, receive.TraceId);
        Assert.Equal(publish.SpanId, receive.ParentSpanId);
    }

    [Fact]
    public async Task Metrics_count_messages_and_bytes_both_ways()
    {
        var totals = new ConcurrentDictionary<string, long>();
        using var meter = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == NatsTelemetry.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        meter.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        meter.Start();

        await using var nats = fixture.Connect();
        await using var sub = await nats.SubscribeCoreAsync<byte[]>("metrics.x");
        for (var i = 0; i < 10; i++) await nats.PublishAsync("metrics.x", new byte[100]);
        for (var i = 0; i < 10; i++) await sub.Msgs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(totals.GetValueOrDefault("nats.client.messages.sent") >= 10);
        Assert.True(totals.GetValueOrDefault("nats.client.bytes.sent") >= 1000);
        Assert.True(totals.GetValueOrDefault("nats.client.messages.received") >= 10);
        Assert.True(totals.GetValueOrDefault("nats.client.bytes.received") >= 1000);
    }
}
