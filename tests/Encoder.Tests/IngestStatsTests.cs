using Platform.Encoder.Pipeline;
using Platform.TestSupport;

namespace Platform.Encoder.Tests;

public sealed class IngestStatsTests
{
    private readonly ManualTime _time = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public void Fps_and_bitrate_are_measured_over_the_window_and_fall_to_zero_after_the_stream_stops()
    {
        var stats = new IngestStats(_time, TimeSpan.FromSeconds(2), 300);
        for (var i = 0; i < 90; i++) // 3 s at 30 fps, 10 kB per frame
        {
            stats.Published(10_000);
            _time.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond / 30));
        }
        var s = stats.Snapshot();
        Assert.InRange(s.Fps, 29, 31);
        Assert.InRange(s.BitrateBps, 2_350_000, 2_450_000);
        Assert.Equal(90, s.FramesEncoded);

        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal((0.0, 0L), (stats.Snapshot().Fps, stats.Snapshot().BitrateBps));
    }

    [Fact]
    public void Latency_percentiles_cover_the_most_recent_frames_only()
    {
        var stats = new IngestStats(_time, TimeSpan.FromSeconds(2), 100);
        for (var i = 0; i < 100; i++) stats.EncodeLatency(TimeSpan.FromMilliseconds(50));
        for (var i = 1; i <= 100; i++) stats.EncodeLatency(TimeSpan.FromMilliseconds(i));
        var s = stats.Snapshot();
        Assert.Equal(50, s.LatencyP50Ms, 6);
        Assert.Equal(99, s.LatencyP99Ms, 6);
    }

    [Fact]
    public void Counts_are_exact()
    {
        var stats = new IngestStats(_time, TimeSpan.FromSeconds(2), 10);
        stats.Received(7, 100);
        stats.Received(9, 100);
        stats.Dropped();
        stats.UpstreamDropped(1);
        stats.Published(5);
        stats.Keyframe(7);
        var s = stats.Snapshot();
        Assert.Equal((2L, 200L, 1L, 1L, 1L, 1L, 9UL, 7UL),
            (s.FramesReceived, s.BytesReceived, s.FramesDropped, s.UpstreamDropped, s.FramesEncoded, s.Keyframes, s.LastFrameId, s.LastKeyframeFrameId));
        Assert.Equal((0.0, 0.0), (new IngestStats(_time, TimeSpan.FromSeconds(2), 10).Snapshot().LatencyP50Ms, 0.0));
    }
}
