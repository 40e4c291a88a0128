using System.Diagnostics;
using Grpc.Net.Client;
using Platform.Contracts.Encoder.V1;
using Platform.Contracts.Subjects;
using Platform.Media;
using NATS.Client.Core;
using Platform.TestSupport;
using EncoderClient = Platform.Contracts.Encoder.V1.Encoder.EncoderClient;

namespace Platform.Encoder.Tests.Wired;

/// <summary>Keyframe, bitrate and statistics over gRPC and over <c>video.&lt;stream&gt;.control</c>, while frames flow.</summary>
[Collection(SharedEncoder.Name)]
public sealed class ControlTests(EncoderFixture fx)
{
    [Fact]
    public async Task RequestKeyframe_over_gRPC_makes_the_next_frame_an_IDR_and_a_second_request_is_throttled()
    {
        const string stream = "control-grpc-kf";
        await using var source = await FrameSource.StartAsync(fx, stream);
        await source.WaitForFramesAsync(12); // > 200 ms after the first (natural) keyframe

        var clock = Stopwatch.StartNew();
        var first = await fx.Client.RequestKeyframeAsync(new RequestKeyframeRequest { Stream = stream, Reason = "test" });
        var second = await fx.Client.RequestKeyframeAsync(new RequestKeyframeRequest { Stream = stream, Reason = "test" });
        var elapsed = clock.Elapsed;

        Assert.True(first.Accepted);
        var forced = await source.Live.WaitForFrameAsync(first.FrameId);
        Assert.True(forced.Keyframe);
        Assert.True(AnnexB.IsKeyframe(forced.Data));
        Assert.False(source.Live.Units.Single(u => u.FrameId == first.FrameId - 1).Keyframe);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(500), $"the two requests took {elapsed.TotalMilliseconds} ms; the throttle window is 500 ms");
        Assert.False(second.Accepted);
        Assert.Equal(first.FrameId, second.FrameId); // a throttled reply names the last keyframe
        await source.StopAsync();
        Assert.Equal(2, source.Live.Units.Count(u => u.Keyframe));
    }

    [Fact]
    public async Task A_keyframe_over_the_NATS_control_subject_is_throttled_the_same_way()
    {
        const string stream = "control-nats-kf";
        await using var source = await FrameSource.StartAsync(fx, stream);
        await source.WaitForFramesAsync(12);

        var first = await ControlAsync(stream, "{\"keyframe\":true,\"reason\":\"pli\"}");
        var second = await ControlAsync(stream, "{\"keyframe\":true,\"reason\":\"pli\"}");

        Assert.Null(first.Error);
        Assert.True(first.KeyframeAccepted);
        var forced = await source.Live.WaitForFrameAsync(first.FrameId!.Value);
        Assert.True(forced.Keyframe);
        Assert.True(AnnexB.IsKeyframe(forced.Data));
        Assert.False(second.KeyframeAccepted);
        Assert.Equal(first.FrameId, second.FrameId);
    }

    [Fact]
    public async Task A_keyframe_request_right_after_the_first_keyframe_is_throttled()
    {
        // An encoder of its own whose quiet window after a keyframe no loaded machine outlasts (the default is 200 ms).
        await using var server = await NatsServer.StartAsync();
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        await nats.ConnectAsync();
        await using var host = await EncoderHost.StartAsync(server.Url, new() { ["Encoder:KeyframeQuietAfterKeyframeMs"] = "600000" });
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new EncoderClient(channel);
        const string stream = "control-quiet";
        await using var live = await VideoCapture.StartAsync(nats, SubjectNames.VideoLive(stream));
        using var call = IngestCall.Start(client);
        await call.SendPacedAsync(TestFrames.I420(stream, 0), live);
        await live.WaitForFrameAsync(0);
        var reply = await client.RequestKeyframeAsync(new RequestKeyframeRequest { Stream = stream });
        await call.CompleteAsync();
        Assert.False(reply.Accepted);
        Assert.Equal(0UL, reply.FrameId);
    }

    [Fact]
    public async Task SetBitrate_is_clamped_to_the_ceiling_and_floor_over_gRPC_and_NATS()
    {
        const string stream = "control-bitrate";
        await using var source = await FrameSource.StartAsync(fx, stream);
        await source.WaitForFramesAsync(2);

        var high = await fx.Client.SetBitrateAsync(new SetBitrateRequest { Stream = stream, BitrateBps = 50_000_000 });
        Assert.Equal((8_000_000u, 8_000_000u, true), (high.AppliedBitrateBps, high.CeilingBps, high.Clamped));
        var normal = await fx.Client.SetBitrateAsync(new SetBitrateRequest { Stream = stream, BitrateBps = 2_500_000 });
        Assert.Equal((2_500_000u, false), (normal.AppliedBitrateBps, normal.Clamped));
        var stats = await fx.Client.GetStatsAsync(new GetStatsRequest { Stream = stream });
        Assert.Equal(2_500_000u, stats.TargetBitrateBps);
        var low = await fx.Client.SetBitrateAsync(new SetBitrateRequest { Stream = stream, BitrateBps = 1_000 });
        Assert.Equal((100_000u, true), (low.AppliedBitrateBps, low.Clamped));

        var overNats = await ControlAsync(stream, "{\"bitrate_bps\":20000000}");
        Assert.Equal((8_000_000L, 8_000_000L, true), (overNats.AppliedBitrateBps, overNats.CeilingBps, overNats.Clamped));
        Assert.Null(overNats.KeyframeAccepted);
        var both = await ControlAsync(stream, "{\"bitrate_bps\":3000000,\"keyframe\":true}");
        Assert.Equal((3_000_000L, false), (both.AppliedBitrateBps, both.Clamped));
        Assert.NotNull(both.KeyframeAccepted);
        // The live session takes the new target before its next frame.
        await Eventually.WaitAsync(() => fx.Host.Logs.Lines.Any(l => l.Message.Contains($"Stream {stream}: bitrate 3000000 bps from frame", StringComparison.Ordinal)), "the bitrate applied by the live session");
    }

    [Fact]
    public async Task Malformed_control_requests_get_an_error_reply_and_the_service_keeps_answering()
    {
        const string stream = "control-bad";
        await using var source = await FrameSource.StartAsync(fx, stream);
        await source.WaitForFramesAsync(1);

        Assert.Contains("not a JSON object", (await ControlAsync(stream, "{not json")).Error, StringComparison.Ordinal);
        Assert.Contains("not a JSON object", (await ControlAsync(stream, "{\"keyframe\":\"yes\"}")).Error, StringComparison.Ordinal);
        Assert.Contains("not a JSON object", (await ControlAsync(stream, "")).Error, StringComparison.Ordinal);
        Assert.Contains("JSON null", (await ControlAsync(stream, "null")).Error, StringComparison.Ordinal);
        Assert.Contains("nothing requested", (await ControlAsync(stream, "{}")).Error, StringComparison.Ordinal);
        Assert.Contains("nothing requested", (await ControlAsync(stream, "{\"keyframe\":false}")).Error, StringComparison.Ordinal);
        Assert.Contains("has not been ingested", (await ControlAsync("nobody-here", "{\"keyframe\":true}")).Error, StringComparison.Ordinal);
        var good = await ControlAsync(stream, "{\"bitrate_bps\":1500000}");
        Assert.Null(good.Error);
        Assert.Equal(1_500_000L, good.AppliedBitrateBps);
    }

    [Fact]
    public async Task GetStats_reports_measured_fps_latency_and_exact_counts()
    {
        const string stream = "control-stats";
        await using var source = await FrameSource.StartAsync(fx, stream);
        await source.WaitForFramesAsync(45);
        var running = await fx.Client.GetStatsAsync(new GetStatsRequest { Stream = stream });
        await source.StopAsync();
        var summary = source.Summary!;
        var done = await fx.Client.GetStatsAsync(new GetStatsRequest { Stream = stream });

        Assert.Equal((stream, Codec.H264, "libx264", 320u, 240u), (running.Stream, running.Codec, running.EncoderName, running.Width, running.Height));
        Assert.InRange(running.Fps, 15, 45); // the source sends about 30 fps
        Assert.InRange(running.BitrateBps, 1u, 8_000_000u);
        Assert.Equal(4_000_000u, running.TargetBitrateBps);
        Assert.True(running.EncodeLatencyMsP50 > 0);
        Assert.True(running.EncodeLatencyMsP99 >= running.EncodeLatencyMsP50);
        Assert.Equal(summary.FramesEncoded, done.FramesEncoded);
        Assert.Equal((ulong)source.Live.Count, done.FramesEncoded);
        Assert.Equal(0UL, done.FramesDropped);
        Assert.Equal(1UL, done.Keyframes);
        Assert.Equal(summary.LastFrameId, done.LastFrameId);
    }

    private Task<VideoControlReply> ControlAsync(string stream, string json) => VideoControl.RequestAsync(fx.Nats, stream, json);
}
