using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using Platform.Contracts.Subjects;
using Platform.TestSupport;

namespace Platform.Encoder.Tests.Wired;

/// <summary>The encoder's gRPC endpoint as other peers see it: @grpc/grpc-js by reflection alone, and a traced Ingest.</summary>
[Collection(SharedEncoder.Name)]
public sealed class GrpcContractTests(EncoderFixture fx)
{
    [Fact]
    public async Task GrpcJs_finds_the_Encoder_by_reflection_and_calls_it_and_its_health()
    {
        var output = await NodePeer.RunAsync("grpc-reflection.mjs", TimeSpan.FromSeconds(60), fx.Host.GrpcAddress.Replace("http://", "", StringComparison.Ordinal),
            "platform.encoder.v1.Encoder/GetStats", "{\"stream\":\"never-seen\"}", "grpc.health.v1.Health/Check", "{}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        JsonElement Op(string op, string key, string value) => lines.Single(l => l.GetProperty("op").GetString() == op && l.GetProperty(key).GetString() == value);

        var services = lines.Single(l => l.GetProperty("op").GetString() == "list").GetProperty("services").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("platform.encoder.v1.Encoder", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Equal(["Ingest", "RequestKeyframe", "SetBitrate", "GetStats"],
            Op("describe", "service", "platform.encoder.v1.Encoder").GetProperty("methods").EnumerateArray().Select(e => e.GetString()));
        var stats = Op("call", "method", "GetStats");
        Assert.Equal((int)StatusCode.NotFound, stats.GetProperty("code").GetInt32());
        Assert.Contains("never-seen", stats.GetProperty("details").GetString(), StringComparison.Ordinal);
        var health = Op("call", "method", "Check");
        Assert.True(health.GetProperty("code").GetInt32() == 0, output);
        Assert.Equal("SERVING", health.GetProperty("reply").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ingest_takes_frames_over_gRPCs_4_MiB_default_up_to_its_own_limit()
    {
        const string stream = "ingest-1080p";
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using (var call = IngestCall.Start(fx.Client))
        {
            // 1080p BGRA: 8 MiB in one message.
            await call.SendAsync(TestFrames.Bgra(stream, 1, 1920, 1080));
            await live.WaitForCountAsync(1);
            Assert.Equal(1UL, (await call.CompleteAsync()).FramesReceived);
        }

        using var oversize = IngestCall.Start(fx.Client);
        var limit = new Hosting.EncoderOptions().MaxFrameMessageBytes;
        // Refused on its length prefix, before the message is parsed: its dimensions do not matter. The server ends the
        // call while the client is still writing the message: the write fails with the call's status, or with Cancelled
        // where the reset stream is seen first. The server's answer is the call's status.
        try
        {
            await oversize.SendAsync(TestFrames.Frame(stream, 2, 4096, 4096, Contracts.Encoder.V1.PixelFormat.Bgra, new byte[limit + 1], null));
        }
        catch (RpcException sending) when (sending.StatusCode is StatusCode.ResourceExhausted or StatusCode.Cancelled)
        {
        }
        var ex = await Assert.ThrowsAsync<RpcException>(() => oversize.Response);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task An_Ingest_stream_start_is_in_the_callers_trace()
    {
        const string stream = "traced-ingest";
        var started = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using var root = new Activity("sim frame streamer").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var call = IngestCall.Start(fx.Client);
        root.Stop();

        await call.SendAsync(TestFrames.I420(stream, 1));
        await live.WaitForCountAsync(1);

        // The server span is open for as long as the stream; it starts with the call, before any frame is read.
        var server = Assert.Single(started, a => a.TraceId == root.TraceId && a.Kind == ActivityKind.Server);
        Assert.Equal("Microsoft.AspNetCore", server.Source.Name);
        Assert.Equal("/platform.encoder.v1.Encoder/Ingest", server.GetTagItem("grpc.method"));
        Assert.Contains(started, a => a.TraceId == root.TraceId && a.Kind == ActivityKind.Client && a.OperationName == "Grpc.Net.Client.GrpcOut" && a.ParentSpanId == root.SpanId);
        Assert.Equal(1UL, (await call.CompleteAsync()).FramesReceived);
    }
}
