using Platform.Contracts.Encoder.V1;
using Platform.SimRunner.Hosting;
using Platform.SimRunner.Tests.Wired;
using Platform.SimRunner.Video;
using Platform.TestSupport;

namespace Platform.SimRunner.Tests.Video;

/// <summary>
/// The real sim-runner host (AddSimRunner, its 240 Hz loop, a real nats-server) with video on, streaming to a real
/// Encoder gRPC server in the test (Grpc.AspNetCore on Kestrel h2c on a free port, or @grpc/grpc-js).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class FrameStreamerTests : IAsyncLifetime
{
    private readonly string _logDir = Path.Combine(Path.GetTempPath(), "platform-video-" + Guid.NewGuid().ToString("N"));
    private readonly List<RunningService> _sims = [];
    private readonly List<FakeEncoderServer> _encoders = [];
    private NatsServer _nats = null!;

    public async Task InitializeAsync() => _nats = await NatsServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var sim in _sims) await sim.ShutdownAsync();
        foreach (var encoder in _encoders) await encoder.DisposeAsync();
        await _nats.DisposeAsync();
        try { Directory.Delete(_logDir, recursive: true); } catch (IOException) { }
    }

    private async Task<FakeEncoderServer> StartEncoderAsync(int? port = null, FakeEncoderProbe? probe = null)
    {
        var encoder = await FakeEncoderServer.StartAsync(port, probe);
        _encoders.Add(encoder);
        return encoder;
    }

    private async Task<RunningService> StartSimAsync(int encoderPort, int width = 640, int height = 360)
    {
        var sim = await ServiceHosts.StartSimAsync(_nats.Url, _logDir, settings: new Dictionary<string, string?>
        {
            ["SimRunner:Video:Enabled"] = "true",
            ["SimRunner:Video:EncoderAddress"] = $"http://127.0.0.1:{encoderPort}",
            ["SimRunner:Video:Width"] = width.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SimRunner:Video:Height"] = height.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SimRunner:Video:Fps"] = "30",
            ["SimRunner:Video:ReconnectInitialDelay"] = "00:00:00.050",
            ["SimRunner:Video:ReconnectMaxDelay"] = "00:00:00.400",
            ["SimRunner:Video:WriteStallTimeout"] = "00:00:01",
        });
        _sims.Add(sim);
        return sim;
    }

    private static Task WaitForFramesAsync(FakeEncoderProbe probe, int count, Func<ReceivedFrame, bool>? where = null, int seconds = 15)
        => Eventually.WaitAsync(() => probe.Frames.Count(where ?? (_ => true)) >= count, $"{count} frames at the fake encoder", TimeSpan.FromSeconds(seconds));

    [Fact]
    public async Task FramesStreamIntoAGrpcJsEncoder()
    {
        await using var peer = NodePeer.Start("grpc-server.mjs", "--print-frames");
        var port = int.Parse((await peer.WaitForLineAsync(l => l.StartsWith("listening ", StringComparison.Ordinal), TimeSpan.FromSeconds(15)))["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        await StartSimAsync(port);

        await Eventually.WaitAsync(() => FramesAt(peer).Count >= 10, "10 frames at the grpc-js encoder", TimeSpan.FromSeconds(30));

        var frames = FramesAt(peer);
        Assert.All(frames, f =>
        {
            Assert.Equal("main", f.GetProperty("stream").GetString());
            Assert.Equal((640, 360, "PIXEL_FORMAT_I420", 640 * 360 * 3 / 2),
                (f.GetProperty("width").GetInt32(), f.GetProperty("height").GetInt32(), f.GetProperty("pixelFormat").GetString(), f.GetProperty("bytes").GetInt32()));
        });
        var ids = frames.Select(f => ulong.Parse(f.GetProperty("frameId").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static List<System.Text.Json.JsonElement> FramesAt(NodePeer peer) => peer.StandardOutput
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => l.StartsWith('{'))
        .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
        .ToList();

    [Fact]
    public async Task FramesArriveInOrderStampedAndOfTheConfiguredSizeAndFormat()
    {
        var encoder = await StartEncoderAsync();
        var sim = await StartSimAsync(encoder.Port);
        await WaitForFramesAsync(encoder.Probe, 20);

        var frames = encoder.Probe.Frames.ToArray();
        Assert.All(frames, f =>
        {
            Assert.Equal("main", f.Stream);
            Assert.Equal((640u, 360u, PixelFormat.I420), (f.Width, f.Height, f.Format));
            Assert.Equal(640 * 360 * 3 / 2, f.DataLength);
            Assert.True(f.DistinctSampledBytes > 3, $"frame {f.FrameId} looks blank");
            Assert.Equal((long)f.FrameId * 1_000_000 / 30, f.PtsUs);
            Assert.InRange(f.Age, TimeSpan.FromMilliseconds(-50), TimeSpan.FromSeconds(5)); // same clock; the first ones wait for the connection
        });
        Assert.All(frames.Skip(5), f => Assert.True(f.Age < TimeSpan.FromSeconds(2), $"frame {f.FrameId} is {f.Age.TotalMilliseconds:0} ms old"));
        Assert.All(frames.Zip(frames.Skip(1)), p =>
        {
            Assert.True(p.Second.FrameId > p.First.FrameId, $"frame id {p.Second.FrameId} after {p.First.FrameId}");
            Assert.True(p.Second.CaptureTsUs > p.First.CaptureTsUs);
        });
        Assert.Single(frames.Select(f => f.Call).Distinct()); // one long-lived Ingest call

        var streamer = sim.Get<FrameStreamer>();
        await Eventually.WaitAsync(() => streamer.Stats.Connected, "a second of frames taken counts as connected");
        var stats = streamer.Stats;
        Assert.True(stats.Sent >= 19 && stats.Rendered >= stats.Sent, $"{stats}");
        Assert.Equal(0, stats.Reconnects);
    }

    [Fact]
    public async Task ASlowEncoderMakesTheSourceDropFramesInsteadOfQueueingThem()
    {
        var encoder = await StartEncoderAsync(probe: new FakeEncoderProbe { ReadDelay = TimeSpan.FromMilliseconds(200) });
        var sim = await StartSimAsync(encoder.Port, 1280, 720);
        await WaitForFramesAsync(encoder.Probe, 3);
        var warmUp = encoder.Probe.Frames.Count; // the first frames also wait for the connection and the JIT
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        // Three seconds of a 5 fps reader against a 30 fps source: a queue would hold ~75 frames (~100 MB, seconds old).
        await WaitForFramesAsync(encoder.Probe, 18, seconds: 20);
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        var stats = sim.Get<FrameStreamer>().Stats;
        var frames = encoder.Probe.Frames.ToArray();

        Assert.True(stats.Dropped > 30, $"{stats}");
        Assert.InRange(stats.Rendered - stats.Sent, 0, 1); // at most the frame being written
        Assert.True(frames.Zip(frames.Skip(1)).Any(p => p.Second.FrameId > p.First.FrameId + 1), "the dropped frames show as id gaps");
        // Each delivered frame is about one read delay old (a queue would make them ~10 s old by now); 2 s leaves room
        // for a busy machine.
        Assert.All(frames.Skip(warmUp), f => Assert.True(f.Age < TimeSpan.FromSeconds(2), $"frame {f.FrameId} arrived {f.Age.TotalMilliseconds:0} ms after it was rendered"));
        Assert.True(memoryAfter - memoryBefore < 64L << 20, $"managed memory grew by {(memoryAfter - memoryBefore) >> 20} MiB");
    }

    [Fact]
    public async Task TheStreamerReconnectsAfterTheEncoderRestarts()
    {
        var first = await StartEncoderAsync();
        var sim = await StartSimAsync(first.Port);
        var streamer = sim.Get<FrameStreamer>();
        await WaitForFramesAsync(first.Probe, 5);

        await first.KillAsync();
        await Eventually.WaitAsync(() => !streamer.Stats.Connected, "the streamer to notice the encoder is gone");
        var lastBefore = first.Probe.Frames.Max(f => f.FrameId);

        var second = await StartEncoderAsync(first.Port);
        await WaitForFramesAsync(second.Probe, 10);
        Assert.All(second.Probe.Frames, f => Assert.True(f.FrameId > lastBefore));
        await Eventually.WaitAsync(() => streamer.Stats.Connected, "the streamer to count the new stream as connected");
        Assert.True(streamer.Stats.Reconnects >= 1, $"{streamer.Stats}");
    }

    [Fact]
    public async Task AnEncoderThatIsNotThereYetIsRetriedWhileTheSimRunsOn()
    {
        var port = FreePort.Next();
        var sim = await StartSimAsync(port);
        var streamer = sim.Get<FrameStreamer>();
        await Eventually.WaitAsync(() => streamer.Stats.Reconnects >= 3, "a few reconnect attempts");
        Assert.Equal(0, streamer.Stats.Sent);
        Assert.True(sim.Get<SimulationLoopService>().SinceLastTick < TimeSpan.FromSeconds(1), "the sim loop keeps ticking");

        var encoder = await StartEncoderAsync(port);
        await WaitForFramesAsync(encoder.Probe, 5);
    }

    [Fact]
    public async Task AStreamTheEncoderRefusesIsReplacedByANewOne()
    {
        var encoder = await StartEncoderAsync(probe: new FakeEncoderProbe { FailFirstCallAfter = 3 });
        var sim = await StartSimAsync(encoder.Port);
        await WaitForFramesAsync(encoder.Probe, 5, f => f.Call >= 2);
        Assert.Equal(3, encoder.Probe.Frames.Count(f => f.Call == 1));
        Assert.True(sim.Get<FrameStreamer>().Stats.Reconnects >= 1);
    }

    [Fact]
    public async Task AStreamTheEncoderStopsReadingIsAbandonedAndANewOneOpened()
    {
        // 720p frames: a few fill the HTTP/2 windows, so the sim's writes stall on the hung call.
        var encoder = await StartEncoderAsync(probe: new FakeEncoderProbe { HangFirstCallAfter = 3 });
        var sim = await StartSimAsync(encoder.Port, 1280, 720);
        await WaitForFramesAsync(encoder.Probe, 5, f => f.Call >= 2, seconds: 30);
        Assert.Equal(3, encoder.Probe.Frames.Count(f => f.Call == 1));
        Assert.True(sim.Get<FrameStreamer>().Stats.Reconnects >= 1);
    }
}
