using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using Platform.Contracts.Subjects;
using Platform.Contracts.Wire;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>Video fan-out, telemetry relay and session ends on /stream/ws, against a real nats-server.</summary>
public sealed class StreamVideoTests(NatsFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<NatsFixture>
{
    [Fact]
    public async Task A_late_joiner_starts_at_a_keyframe_which_the_transport_asked_the_encoder_for()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);
        await using var video = await VideoPublisher.StartAsync(fixture.Nats, keyframeEvery: 100_000); // no periodic keyframe after the first
        await using var control = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.VideoControl("main"));
        for (var i = 0; i < 5; i++) await video.PublishAsync(1000); // frame 1 is a keyframe nobody saw

        await using var peer = NodePeer.Start("transport-ws-client.mjs", server.StreamUrl().ToString());
        await peer.WaitForLineAsync(l => l.Contains("\"open\""), TimeSpan.FromSeconds(10));
        await Eventually.WaitAsync(() => server.Hub.Clients.Count == 1, "the client attached");
        using var publishing = new CancellationTokenSource();
        var frames = Task.Run(async () =>
        {
            while (!publishing.IsCancellationRequested)
            {
                await video.PublishAsync(1000);
                await Task.Delay(33);
            }
        });
        await peer.WaitForLineAsync(l => l.Contains("\"video\""), TimeSpan.FromSeconds(10));
        await Eventually.WaitAsync(() => peer.StandardOutput.Split('\n').Count(l => l.Contains("\"video\"")) >= 10, "ten frames to the late joiner");
        await publishing.CancelAsync();
        await frames;

        var received = peer.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("event").GetString() == "video").ToList();
        Assert.True(received[0].GetProperty("keyframe").GetBoolean(), "the first frame a joiner gets is a keyframe");
        Assert.True(received[0].GetProperty("frame_id").GetInt64() > 5);
        Assert.All(received, f => Assert.True(f.GetProperty("intact").GetBoolean()));
        Assert.All(received, f => Assert.Equal((int)VideoCodecId.H264, f.GetProperty("codec").GetInt32()));
        var ids = received.Select(f => f.GetProperty("frame_id").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range((int)ids[0], ids.Count).Select(i => (long)i), ids); // consecutive from the keyframe on
        Assert.NotEmpty(control.Messages);
        Assert.Contains("\"keyframe\":true", System.Text.Encoding.UTF8.GetString(control.Messages[0].Data!));
        Assert.True(video.KeyframeRequests >= 1);
        // Throttled: one request per 500 ms at most while the client waited (it waited about one frame).
        Assert.True(control.Messages.Count <= 2, $"{control.Messages.Count} keyframe requests");
    }

    [Fact]
    public async Task Twenty_readers_get_every_frame_in_order_while_a_stuck_client_is_dropped()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, o =>
        {
            TestOptions.WithoutVideoGate(o);
            o.SendTimeout = TimeSpan.FromSeconds(2);
        });
        await using var video = await VideoPublisher.StartAsync(fixture.Nats, keyframeEvery: 30);
        await using var baseline = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.VideoLive("main"));
        await using var stuck = await WsClient.ConnectAsync(server.StreamUrl("client=stuck"), read: false);
        var readers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => WsClient.ConnectAsync(server.StreamUrl($"client=reader{i}"))));
        try
        {
            await Eventually.WaitAsync(() => server.Hub.Clients.Count == 21, "21 clients attached");
            var sent = await video.RunAsync(90, fps: 30, payloadBytes: 48 * 1024); // ~3 s of 720p-sized access units
            Assert.True(sent[0].Keyframe);

            await Eventually.WaitAsync(() => readers.All(r => r.Stream(StreamMessageType.Video).Count >= sent.Count), "every reader has every frame", TimeSpan.FromSeconds(15));
            // Relay latency, from the frame's arrival at a plain NATS subscriber in this process: printed, not asserted (a
            // loaded CI box stretches it); bench/TransportBench measures the fan-out latency against a raw NATS subscriber.
            await Eventually.WaitAsync(() => baseline.Messages.Count >= sent.Count, "the baseline subscriber has every frame");
            var arrivedAt = baseline.Messages.Zip(baseline.Arrivals).ToDictionary(m => BinaryPrimitives.ReadUInt64LittleEndian(m.First.Data), m => m.Second);
            var latencies = new List<double>();
            foreach (var reader in readers)
            {
                var frames = reader.Stream(StreamMessageType.Video);
                Assert.Equal(sent.Select(s => s.FrameId), frames.Select(f => VideoPublisher.Stamp(f.Data).FrameId));
                latencies.AddRange(frames.Select(f => Stopwatch.GetElapsedTime(arrivedAt[VideoPublisher.Stamp(f.Data).FrameId], f.At).TotalMilliseconds));
            }
            latencies.Sort();
            var p99 = latencies[(int)(latencies.Count * 0.99)];
            output.WriteLine($"NATS arrival → reader receive over {latencies.Count} deliveries: p50 {latencies[latencies.Count / 2]:0.#} ms, p99 {p99:0.#} ms, max {latencies[^1]:0.#} ms");

            // The stuck client stops taking bytes: its send times out and it is removed (it may take more frames to fill the buffers).
            using var more = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var keepPublishing = Task.Run(async () =>
            {
                while (!more.IsCancellationRequested && server.Hub.Clients.Any(c => c.Id.EndsWith("-stuck", StringComparison.Ordinal)))
                {
                    await video.PublishAsync(48 * 1024);
                    await Task.Delay(33);
                }
            });
            await Eventually.WaitAsync(() => server.Hub.Clients.All(c => !c.Id.EndsWith("-stuck", StringComparison.Ordinal)), "the stuck client dropped", TimeSpan.FromSeconds(20));
            await keepPublishing;
            Assert.Equal(20, server.Hub.Clients.Count);
            Assert.All(readers, r => Assert.False(r.Closed));
        }
        finally
        {
            foreach (var reader in readers) await reader.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_is_told_why_its_stream_has_no_video_and_a_refusing_encoders_reason_reaches_it()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);

        // Nobody answers on video.nobody.control.
        await using var lonely = await WsClient.ConnectAsync(server.StreamUrl("stream=nobody"));
        var unavailable = await lonely.WaitTelemetryAsync("transport.video_unavailable");
        Assert.Equal("nobody", unavailable.GetProperty("stream").GetString());
        Assert.StartsWith("no encoder answers on video.nobody.control", unavailable.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // An encoder that cannot serve the stream answers with an error: viewers get its words.
        await using var encoder = await fixture.Nats.SubscribeCoreAsync<byte[]>(SubjectNames.VideoControl("refused"));
        var answering = Task.Run(async () =>
        {
            await foreach (var request in encoder.Msgs.ReadAllAsync())
                await request.ReplyAsync("""{"error":"the encoder cannot encode: install libavcodec59"}"""u8.ToArray());
        });
        await fixture.Nats.PingAsync(); // the server has the subscription before the transport asks
        await using var refused = await WsClient.ConnectAsync(server.StreamUrl("stream=refused"));
        var reason = (await refused.WaitTelemetryAsync("transport.video_unavailable")).GetProperty("reason").GetString();
        Assert.Equal("the encoder says: the encoder cannot encode: install libavcodec59", reason);
        Assert.DoesNotContain(lonely.Telemetry("transport.video_unavailable"), t => t.GetProperty("stream").GetString() == "refused");
    }

    [Fact]
    public async Task Telemetry_and_safety_state_are_relayed_as_they_are_to_clients_whose_patterns_match()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);
        await using var all = await WsClient.ConnectAsync(server.StreamUrl());
        await using var safetyOnly = await WsClient.ConnectAsync(server.StreamUrl("subjects=safety.state"));
        await using var changes = await WsClient.ConnectAsync(server.StreamUrl("subjects=safety.state"));
        await changes.SendAsync(StreamMessageType.Telemetry, "{\"subscribe\":[\"telemetry.sim.*\"]}");
        await changes.WaitTelemetryAsync("transport.subscribed");

        await fixture.Nats.PublishAsync("telemetry.sim.state", "{\"frame\":3,\"values\":[1.5]}"u8.ToArray());
        await fixture.Nats.PublishAsync("safety.state", "{\"state_id\":9,\"mode\":\"HOLD\"}"u8.ToArray());
        await fixture.Nats.PublishAsync("telemetry.command.ack", "not json"u8.ToArray());

        var state = await all.WaitTelemetryAsync("telemetry.sim.state");
        Assert.Equal(1.5, state.GetProperty("values")[0].GetDouble());
        Assert.Equal("HOLD", (await all.WaitTelemetryAsync("safety.state")).GetProperty("mode").GetString());
        Assert.Equal("not json", (await all.WaitTelemetryAsync("telemetry.command.ack")).GetString());
        Assert.Equal(9, (await safetyOnly.WaitTelemetryAsync("safety.state")).GetProperty("state_id").GetInt32());
        await changes.WaitTelemetryAsync("telemetry.sim.state");

        // A marker after the others proves the filtered clients would have had them by now.
        await fixture.Nats.PublishAsync("safety.state", "{\"state_id\":10}"u8.ToArray());
        await safetyOnly.WaitTelemetryAsync("safety.state", d => d.GetProperty("state_id").GetInt32() == 10);
        await changes.WaitTelemetryAsync("telemetry.sim.state"); // still subscribed
        Assert.Empty(safetyOnly.Telemetry("telemetry.sim.state"));
        Assert.Empty(safetyOnly.Telemetry("telemetry.command.ack"));
        Assert.Empty(changes.Telemetry("safety.state"));

        await changes.SendAsync(StreamMessageType.Telemetry, "{\"subscribe\":[\"a..b\"]}");
        await changes.WaitTelemetryAsync("transport.error", e => e.GetProperty("error").GetString() == "invalid_subscribe");
    }

    [Fact]
    public async Task A_client_whose_decoder_lost_a_frame_can_ask_for_a_keyframe_and_gets_no_deltas_until_then()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);
        await using var video = await VideoPublisher.StartAsync(fixture.Nats, keyframeEvery: 1000);
        await using var client = await WsClient.ConnectAsync(server.StreamUrl());
        await Eventually.WaitAsync(() => video.KeyframeRequests >= 1, "the transport asked for a keyframe when the client attached");
        await video.PublishAsync(1000); // frame 1: a keyframe
        await Eventually.WaitAsync(() => client.Stream(StreamMessageType.Video).Count == 1, "the client's first frame");
        var before = video.KeyframeRequests;

        await client.SendAsync(StreamMessageType.Telemetry, "{\"keyframe\":true}");
        Assert.Equal("main", (await client.WaitTelemetryAsync("transport.keyframe_requested")).GetProperty("stream").GetString());

        // Deltas published now are skipped for this client, and each asks again past the per-stream throttle; the
        // publisher answers a request by making its next frame a keyframe.
        ulong keyframeId = 0;
        await Eventually.WaitAsync(async () =>
        {
            var (id, keyframe) = await video.PublishAsync(1000);
            if (keyframe && video.KeyframeRequests > before) keyframeId = id;
            return keyframeId != 0;
        }, "a keyframe answering the client's request");
        await Eventually.WaitAsync(() => client.Stream(StreamMessageType.Video).Count == 2, "the keyframe reached the client");
        Assert.True(VideoFrameHeader.TryReadMessage(client.Stream(StreamMessageType.Video)[1].Data, out var header, out _, out var error), error);
        Assert.True(header.IsKeyframe);
        Assert.Equal(keyframeId, header.FrameId);

        await client.SendAsync(StreamMessageType.Telemetry, "{\"keyframe\":\"please\"}");
        await client.WaitTelemetryAsync("transport.error", e => e.GetProperty("error").GetString() == "invalid_request");
    }

    [Fact]
    public async Task A_client_that_vanishes_is_removed_and_the_others_go_on()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);
        await using var video = await VideoPublisher.StartAsync(fixture.Nats);
        await using var stays = await WsClient.ConnectAsync(server.StreamUrl());
        var vanishes = await WsClient.ConnectAsync(server.StreamUrl());
        await Eventually.WaitAsync(() => server.Hub.Clients.Count == 2, "two clients");
        await vanishes.DisposeAsync(); // aborts the socket: no close handshake
        await Eventually.WaitAsync(() => server.Hub.Clients.Count == 1, "the vanished client removed");
        await video.PublishAsync(1000);
        await Eventually.WaitAsync(() => stays.Stream(StreamMessageType.Video).Count == 1, "the remaining client's frame");
    }

    [Fact]
    public async Task A_bad_query_is_refused_before_the_upgrade()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => WsClient.ConnectAsync(server.StreamUrl("session=a.b")));
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => WsClient.ConnectAsync(server.StreamUrl("subjects=a..b")));
    }

    [Fact]
    public async Task Session_terminate_closes_only_that_sessions_clients_after_a_final_message_with_the_reason()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);
        await using var a1 = await WsClient.ConnectAsync(server.StreamUrl("session=rec1"));
        await using var a2 = await WsClient.ConnectAsync(server.StreamUrl("session=rec1"));
        await using var other = await WsClient.ConnectAsync(server.StreamUrl("session=rec2"));
        await Eventually.WaitAsync(() => server.Hub.Clients.Count == 3, "three clients");

        var terminate = new SessionTerminateMessage("recording_failed", "disk full");
        await fixture.Nats.PublishAsync(SubjectNames.SessionTerminate("rec1"), JsonSerializer.SerializeToUtf8Bytes(terminate, SubjectsJsonContext.Default.SessionTerminateMessage));

        foreach (var client in new[] { a1, a2 })
        {
            await client.WaitClosedAsync();
            Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
            Assert.Contains("recording_failed", client.CloseDescription);
            var final = client.Telemetry("session.terminated").Single();
            Assert.Equal("recording_failed", final.GetProperty("reason").GetString());
            Assert.Equal("disk full", final.GetProperty("detail").GetString());
        }
        await Eventually.WaitAsync(() => server.Hub.Clients.Count == 1, "only rec2 left");
        await fixture.Nats.PublishAsync("safety.state", "{\"state_id\":1}"u8.ToArray());
        await other.WaitTelemetryAsync("safety.state");
        Assert.False(other.Closed);
    }
}
