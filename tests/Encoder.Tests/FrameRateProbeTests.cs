using Platform.Encoder.Pipeline;

namespace Platform.Encoder.Tests;

public sealed class FrameRateProbeTests
{
    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(24)]
    [InlineData(15)]
    public void Reports_the_rate_once_after_eight_frames(int fps)
    {
        var probe = new FrameRateProbe();
        var reports = Enumerable.Range(0, 40).Select(i => probe.Add((ulong)i, (long)(1000 + i * 1_000_000.0 / fps))).ToList();
        Assert.All(reports.Take(7), r => Assert.Null(r));
        Assert.Equal(fps, reports[7]);
        Assert.All(reports.Skip(8), r => Assert.Null(r));
    }

    [Fact]
    public void Frames_dropped_at_the_source_do_not_lower_the_rate()
    {
        // A 30 fps source that sends only every third frame while it warms up: ids and pts both skip.
        var probe = new FrameRateProbe();
        var reports = Enumerable.Range(0, 8).Select(i => probe.Add((ulong)(i * 3), i * 3 * 33_333L)).ToList();
        Assert.Equal(30, reports[^1]);
    }

    [Fact]
    public void A_clock_that_restarts_during_the_measurement_starts_it_again()
    {
        var probe = new FrameRateProbe();
        for (var i = 0; i < 5; i++) Assert.Null(probe.Add((ulong)(100 + i), 5_000_000 + i * 16_667));
        var reports = Enumerable.Range(0, 8).Select(i => probe.Add((ulong)i, i * 33_333L)).ToList();
        Assert.Equal(30, reports[^1]);
    }
}
