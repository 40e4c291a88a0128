using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Net.Client;
using Platform.Grpc.Tests.V1;

namespace Platform.Grpc.Tests;

[Collection(nameof(TelemetryTests))] // listeners are process-wide
public sealed class TelemetryTests
{
    [Fact]
    public async Task Client_and_server_activities_share_the_trace_through_traceparent_metadata()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == GrpcTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);

        using var root = new Activity("test-root").SetIdFormat(ActivityIdFormat.W3C).Start();

        var reply = await new Tester.TesterClient(channel).EchoAsync(new EchoRequest { Text = "traced" });

        var client = Assert.Single(activities, a => a.Kind == ActivityKind.Client && a.TraceId == root.TraceId);
        Assert.Equal("platform.test.v1.Tester/Echo", client.OperationName);
        Assert.Equal(root.SpanId, client.ParentSpanId);
        await Platform.TestSupport.Eventually.WaitAsync(() => activities.Any(a => a.Kind == ActivityKind.Server && a.TraceId == client.TraceId), "server activity stopped");
        var serverActivity = activities.First(a => a.Kind == ActivityKind.Server && a.TraceId == client.TraceId);
        Assert.Equal(client.SpanId, serverActivity.ParentSpanId);
        Assert.Equal(client.Id, reply.Headers["traceparent"]);
        Assert.Equal(0, serverActivity.GetTagItem("rpc.grpc.status_code"));
    }

    [Fact]
    public async Task Calls_and_durations_are_counted_by_method_and_status()
    {
        var measurements = new ConcurrentQueue<(string Instrument, string Method, int Status)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GrpcTelemetry.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? method = null;
            int status = -1;
            foreach (var tag in tags)
            {
                if (tag.Key == "rpc.method") method = tag.Value as string;
                if (tag.Key == "rpc.grpc.status_code") status = (int)tag.Value!;
            }
            if (method is not null) measurements.Enqueue((instrument.Name, method, status));
        }
        meterListener.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(i, tags));
        meterListener.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(i, tags));
        meterListener.Start();
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { Retry = null });
        var client = new Tester.TesterClient(channel);

        await client.EchoAsync(new EchoRequest());
        await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { FailCode = (int)StatusCode.NotFound }).ResponseAsync);

        const string echo = "platform.test.v1.Tester/Echo";
        // The listener sees the whole process: other test classes running in parallel call Echo too, so wait for
        // these two calls' server measurements rather than for an exact count.
        await Platform.TestSupport.Eventually.WaitAsync(
            () => measurements.Contains(("rpc.server.calls", echo, 0)) && measurements.Contains(("rpc.server.calls", echo, (int)StatusCode.NotFound)),
            "server call counts for OK and NOT_FOUND");
        Assert.Contains(("rpc.client.calls", echo, (int)StatusCode.NotFound), measurements);
        Assert.Contains(("rpc.client.duration", echo, 0), measurements);
        Assert.Contains(("rpc.server.duration", echo, 0), measurements);
    }
}
