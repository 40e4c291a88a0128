using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using Platform.Contracts.Subjects;
using Platform.Contracts.Wire;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>The <c>Platform.Transport</c> meter on the real relay and fan-out: per-hop latency, sends, drops and the video gate's mode.</summary>
public sealed class TransportMetricsTests(NatsFixture fixture) : IClassFixture<NatsFixture>
{
    private const string Stream = "metered";

    [Fact]
    public async Task Relayed_frames_are_measured_on_both_hops_and_each_clients_sends_are_counted()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);
        using var metrics = new MeterCapture(server.Services.GetRequiredService<IMeterFactory>());
        await using var video = await VideoPublisher.StartAsync(fixture.Nats, Stream);
        await using var a = await WsClient.ConnectAsync(server.StreamUrl($"stream={Stream}&client=a"));
        await using var b = await WsClient.ConnectAsync(server.StreamUrl($"stream={Stream}&client=b"));
        await Eventually.WaitAsync(() => server.Hub.Clients.Count == 2, "both clients attached");

        await video.RunAsync(10, fps: 30, payloadBytes: 1000);
        await Eventually.WaitAsync(() => a.Stream(StreamMessageType.Video).Count == 10 && b.Stream(StreamMessageType.Video).Count == 10, "ten frames to each client");
        await Eventually.WaitAsync(() => metrics.Sum("transport.video.frames.sent", Stream) == 20, "20 sends counted: ten frames to each of two clients");
        Assert.Equal(10, metrics.Values("transport.video.latency.render_to_transport", Stream).Count);
        Assert.Equal(20, metrics.Values("transport.video.latency.transport_to_sent", Stream).Count);
        Assert.Empty(metrics.Values("transport.video.frames.dropped", Stream));

        // Capture-Ts is the source's wall clock in Unix µs: a frame captured 5 s ago measures 5 s or more.
        var fiveSecondsAgo = (DateTimeOffset.UtcNow.AddSeconds(-5) - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        await PublishAsync(Headers(11, fiveSecondsAgo));
        await Eventually.WaitAsync(() => metrics.Values("transport.video.latency.render_to_transport", Stream).Count == 11, "the old frame measured");
        Assert.True(metrics.Values("transport.video.latency.render_to_transport", Stream)[^1] >= 5000);

        // Headers the relay cannot read: the frame is dropped, counted with its reason, and reaches no client.
        var unreadable = Headers(12, fiveSecondsAgo);
        unreadable.Remove(VideoHeaderNames.Codec);
        await PublishAsync(unreadable);
        await Eventually.WaitAsync(() => metrics.Sum("transport.video.frames.dropped", Stream, "bad_headers") == 1, "the unreadable frame counted as dropped");
        await Eventually.WaitAsync(() => metrics.Sum("transport.video.frames.sent", Stream) == 22, "frame 11 sent to both clients");
        Assert.All(metrics.Values("transport.video.latency.transport_to_sent", Stream), ms => Assert.True(ms >= 0));
        Assert.Equal(11, a.Stream(StreamMessageType.Video).Count);
    }

    [Fact]
    public async Task Frames_a_client_skips_because_it_stopped_reading_are_counted_as_slow_client_drops()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, o =>
        {
            TestOptions.WithoutVideoGate(o);
            o.MaxQueuedVideoFrames = 4;
            o.SendTimeout = TimeSpan.FromMinutes(2); // it stays connected while the test looks at it
        });
        using var metrics = new MeterCapture(server.Services.GetRequiredService<IMeterFactory>());
        await using var video = await VideoPublisher.StartAsync(fixture.Nats, Stream, keyframeEvery: 10);
        await using var stuck = await WsClient.ConnectAsync(server.StreamUrl($"stream={Stream}&client=stuck"), read: false);
        await Eventually.WaitAsync(() => server.Hub.Clients.Count == 1, "the client attached");
        var outbox = server.Hub.Clients[0].Connection.Outbox;

        // Once the socket's buffers are full its queue fills, and from then on it skips frames.
        await Eventually.WaitAsync(async () =>
        {
            if (outbox.DroppedVideoFrames >= 5) return true;
            await video.PublishAsync(256 * 1024);
            return false;
        }, "the stuck client skipping frames", TimeSpan.FromSeconds(60));
        await Eventually.WaitAsync(() => metrics.Sum("transport.video.frames.dropped", Stream, "slow_client") == outbox.DroppedVideoFrames,
            $"the dropped counter equal to the client's own count ({outbox.DroppedVideoFrames})");
    }

    [Fact]
    public async Task The_video_gate_mode_is_a_gauge_that_follows_the_gate()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, o =>
        {
            o.VideoGate.HoldAfterMs = 300;
            o.VideoGate.EstopAfterMs = 600_000;
            o.VideoGate.EvaluateIntervalMs = 20;
        });
        using var metrics = new MeterCapture(server.Services.GetRequiredService<IMeterFactory>());
        double Mode()
        {
            metrics.Observe();
            return metrics.Values("transport.video_gate.mode", "main")[^1];
        }
        Assert.Equal((int)SafetyMode.Armed, Mode());

        // No frame for longer than HoldAfterMs: a motion command raises HOLD.
        await using var client = await WsClient.ConnectAsync(server.StreamUrl("client=driver"));
        var cmdSeq = 0;
        await Eventually.WaitAsync(async () =>
        {
            await client.SendAsync(StreamMessageType.Command, $"{{\"action\":\"set_cmd_vel\",\"cmd_seq\":{++cmdSeq},\"data\":{{\"linear_x\":1}}}}");
            return Mode() == (int)SafetyMode.Hold;
        }, "the gauge at HOLD");

        await using var video = await VideoPublisher.StartAsync(fixture.Nats);
        await video.PublishAsync(100);
        await Eventually.WaitAsync(() => Mode() == (int)SafetyMode.Armed, "the gauge back at ARMED once frames resume");
    }

    private static NatsHeaders Headers(ulong frameId, long captureTsUs) => new()
    {
        [VideoHeaderNames.FrameId] = frameId.ToString(CultureInfo.InvariantCulture),
        [VideoHeaderNames.Pts] = (frameId * 33_333).ToString(CultureInfo.InvariantCulture),
        [VideoHeaderNames.Codec] = VideoCodecNames.H264,
        [VideoHeaderNames.Keyframe] = "false",
        [VideoHeaderNames.CaptureTs] = captureTsUs.ToString(CultureInfo.InvariantCulture),
    };

    private ValueTask PublishAsync(NatsHeaders headers) => fixture.Nats.PublishAsync(SubjectNames.VideoLive(Stream), new byte[64], headers);

    /// <summary>Every measurement of the meters one service's <see cref="IMeterFactory"/> made (not another test's transport).</summary>
    private sealed class MeterCapture : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, string? Stream, string? Reason)> _measurements = new();

        public MeterCapture(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
            _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
            _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
            _listener.Start();
        }

        /// <summary>Takes a reading of the observable gauges.</summary>
        public void Observe() => _listener.RecordObservableInstruments();

        public IReadOnlyList<double> Values(string instrument, string stream, string? reason = null)
            => [.. _measurements.Where(m => m.Instrument == instrument && m.Stream == stream && (reason is null || m.Reason == reason)).Select(m => m.Value)];

        public double Sum(string instrument, string stream, string? reason = null) => Values(instrument, stream, reason).Sum();

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? stream = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "stream") stream = tag.Value as string;
                if (tag.Key == "reason") reason = tag.Value as string;
            }
            _measurements.Enqueue((instrument.Name, value, stream, reason));
        }
    }
}
